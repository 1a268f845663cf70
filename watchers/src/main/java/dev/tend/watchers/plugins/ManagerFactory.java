package dev.tend.watchers.plugins;

import dev.tend.fleet.spec.SpecException;
import dev.tend.fleet.spec.VerifyKey;
import dev.tend.machine.expression.ExpressionCompiler;
import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** What the {@code plugins} and {@code machines} factories share: properties, load checks, making the watcher. */
abstract class ManagerFactory implements WatcherFactory {

    static final String DATA_ITEM = "data_item";
    static final String PURGE_UNKNOWN = "purge_unknown";
    static final String PUBLIC_KEY = "public_key";
    static final String PLUGINS_DIRECTORY = "plugins_directory";
    static final String PREFIX = "manager_machine_prefix";
    static final String DEFAULT_PREFIX = "mm";
    static final Duration MIN_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_MANAGE_INTERVAL = Duration.ofMinutes(2);
    /** The shortest interval the reference's archive watcher takes: less makes manager machines that do not load. */
    static final Duration ARCHIVE_MIN_INTERVAL = Duration.ofSeconds(10);
    private static final Pattern PREFIX_SHAPE = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]*");

    private final SpecForm form;
    /** Made on first use, so that runtimes without these watchers do not load the expression language. */
    private volatile ExpressionCompiler compiler;

    ManagerFactory(SpecForm form) {
        this.form = form;
    }

    @Override
    public String type() {
        return form.type();
    }

    @Override
    public List<PropertySpec> properties() {
        List<PropertySpec> specs = new ArrayList<>(List.of(
                PropertySpec.of(DATA_ITEM, PropertyType.STRING).required()
                        .describedAs("the machine data key holding the signed specification (a kv watcher puts it"
                                + " there)"),
                PropertySpec.of(PURGE_UNKNOWN, PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("remove manager machines, and what they manage, that the specification does"
                                + " not list for this node"),
                PropertySpec.of(form.intervalProperty(), PropertyType.DURATION).withDefault(DEFAULT_MANAGE_INTERVAL)
                        .describedAs("the interval of the manager machines' archive watchers"),
                PropertySpec.of(PUBLIC_KEY, PropertyType.STRING)
                        .describedAs("hex ed25519 public key the specification's signature must verify with (the"
                                + " agent's machine signing key wins); empty: signatures are not checked")));
        if (form == SpecForm.PLUGINS) {
            specs.add(PropertySpec.of(PLUGINS_DIRECTORY, PropertyType.STRING)
                    .describedAs("absolute directory the archives are extracted into; default the machines"
                            + " directory"));
            specs.add(PropertySpec.of(PREFIX, PropertyType.STRING).withDefault(DEFAULT_PREFIX)
                    .describedAs("prefix of the manager machines' names (<prefix>_<name>), without _"));
        }
        return List.copyOf(specs);
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        Duration interval = watcher.interval();
        if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
            problems.report(null, "interval " + Durations.format(interval) + " is too small: at least "
                    + Durations.format(MIN_INTERVAL));
        }
        WatcherProperties p = watcher.properties();
        if (p.string(DATA_ITEM) != null && p.string(DATA_ITEM).isEmpty()) {
            problems.report(DATA_ITEM, "data_item is required");
        }
        Duration manage = p.duration(form.intervalProperty());
        if (manage.isNegative()) {
            problems.report(form.intervalProperty(), form.intervalProperty() + " must not be negative");
        } else if (!manage.isZero() && manage.compareTo(ARCHIVE_MIN_INTERVAL) < 0) {
            problems.warn(form.intervalProperty(), form.intervalProperty() + " " + Durations.format(manage)
                    + " is under " + Durations.format(ARCHIVE_MIN_INTERVAL) + ", which the manager machines' archive"
                    + " watchers refuse");
        }
        String key = p.string(PUBLIC_KEY);
        if (key != null && !key.isEmpty()) {
            try {
                VerifyKey.fromHex(key);
            } catch (SpecException e) {
                problems.report(PUBLIC_KEY, e.getMessage());
            }
        }
        if (form == SpecForm.PLUGINS) {
            String prefix = p.string(PREFIX);
            if (prefix != null && prefix.contains("_")) {
                problems.report(PREFIX, "manager_machine_prefix may not contain underscore");
            } else if (prefix != null && !prefix.isEmpty() && !PREFIX_SHAPE.matcher(prefix).matches()) {
                problems.report(PREFIX, "manager_machine_prefix \"" + prefix + "\" cannot start a machine name: a"
                        + " letter, then letters, digits and -");
            }
            String dir = p.string(PLUGINS_DIRECTORY);
            if (dir != null && !dir.isEmpty() && !Path.of(dir).isAbsolute()) {
                problems.report(PLUGINS_DIRECTORY, "plugins_directory must be an absolute path, not \"" + dir + "\"");
            }
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        WatcherProperties p = context.definition().properties();
        Duration manage = p.duration(form.intervalProperty());
        String prefix = form == SpecForm.PLUGINS ? p.string(PREFIX) : DEFAULT_PREFIX;
        String dir = form == SpecForm.PLUGINS ? p.string(PLUGINS_DIRECTORY) : null;
        ManagerSettings settings = new ManagerSettings(form, p.string(DATA_ITEM), p.bool(PURGE_UNKNOWN),
                manage.isZero() ? DEFAULT_MANAGE_INTERVAL : manage,
                p.string(PUBLIC_KEY) == null ? "" : p.string(PUBLIC_KEY),
                dir == null || dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir).normalize()),
                prefix == null || prefix.isEmpty() ? DEFAULT_PREFIX : prefix);
        return new ManagingWatcher(context, settings, new NodeMatcher(compiler(), form, System.getenv("PATH")));
    }

    private ExpressionCompiler compiler() {
        ExpressionCompiler c = compiler;
        if (c == null) {
            synchronized (this) {
                c = compiler;
                if (c == null) {
                    c = ExpressionCompiler.standard();
                    compiler = c;
                }
            }
        }
        return c;
    }
}
