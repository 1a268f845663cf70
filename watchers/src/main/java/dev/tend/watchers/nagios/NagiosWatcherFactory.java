package dev.tend.watchers.nagios;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;
import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.ShellWords;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tend.watchers.nagios.NagiosProperties.ANNOTATIONS;
import static dev.tend.watchers.nagios.NagiosProperties.BUILTIN;
import static dev.tend.watchers.nagios.NagiosProperties.CHORIA_STATUS;
import static dev.tend.watchers.nagios.NagiosProperties.GOSS;
import static dev.tend.watchers.nagios.NagiosProperties.GOSSFILE;
import static dev.tend.watchers.nagios.NagiosProperties.HEARTBEAT;
import static dev.tend.watchers.nagios.NagiosProperties.LAST_MESSAGE;
import static dev.tend.watchers.nagios.NagiosProperties.PLUGIN;
import static dev.tend.watchers.nagios.NagiosProperties.PUBCERT_EXPIRE;
import static dev.tend.watchers.nagios.NagiosProperties.TIMEOUT;
import static dev.tend.watchers.nagios.NagiosProperties.TOKEN_EXPIRE;

/**
 * The {@code nagios} watcher type: a Nagios plugin (or a builtin check) every {@code interval} and on
 * {@code FORCE_CHECK}, firing the transition named after its status. See {@link NagiosWatcher}.
 */
public final class NagiosWatcherFactory implements WatcherFactory {

    public static final String TYPE = "nagios";
    /** The shortest {@code interval} (the reference's). */
    static final Duration MIN_INTERVAL = Duration.ofMillis(500);

    private static final List<PropertySpec> PROPERTIES = List.of(
            PropertySpec.of(PLUGIN, PropertyType.STRING).templated()
                    .describedAs("the Nagios plugin to run, with its arguments, split into words as a shell would but"
                            + " run without one; its exit status 0/1/2/3 is OK/WARNING/CRITICAL/UNKNOWN (any other:"
                            + " UNKNOWN); {{ o \"key\" default }} reads the machine's entry of the agent's overrides"
                            + " file"),
            PropertySpec.of(BUILTIN, PropertyType.STRING)
                    .describedAs("a check Tend runs itself instead of a plugin: heartbeat (always OK), goss, or"
                            + " choria_status (the agent's own health)"),
            PropertySpec.of(TIMEOUT, PropertyType.DURATION).withDefault(NagiosProperties.DEFAULT_TIMEOUT)
                    .describedAs("how long the plugin may run before it and every process it started are killed (the"
                            + " check is then UNKNOWN; 0: the default, 10s)"),
            PropertySpec.of(ANNOTATIONS, PropertyType.MAP)
                    .describedAs("names and values copied into every state event"),
            PropertySpec.of(GOSSFILE, PropertyType.STRING).withAliases("gossFile")
                    .describedAs("the goss builtin's file of tests (required with builtin: goss)"),
            PropertySpec.of(LAST_MESSAGE, PropertyType.DURATION)
                    .describedAs("choria_status: CRITICAL when the agent's last event is older (required with"
                            + " builtin: choria_status)"),
            PropertySpec.of(PUBCERT_EXPIRE, PropertyType.DURATION)
                    .describedAs("choria_status: accepted for Choria's machines; Tend has no certificate to check"),
            PropertySpec.of(TOKEN_EXPIRE, PropertyType.DURATION)
                    .describedAs("choria_status: accepted for Choria's machines; Tend has no token to check"));

    private final NagiosSettings settings;
    private final Builtins builtins;
    private final Clock clock;
    /** One file per textfile directory, shared by this factory's watchers. */
    private final Map<Optional<Path>, StatusFile> statusFiles = new HashMap<>();

    /** For {@link java.util.ServiceLoader}: the agent's settings. */
    public NagiosWatcherFactory() {
        this(NagiosSettings.defaults(), new Builtins(), Clock.systemUTC());
    }

    NagiosWatcherFactory(NagiosSettings settings, Builtins builtins, Clock clock) {
        this.settings = settings;
        this.builtins = builtins;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return PROPERTIES;
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        WatcherProperties p = watcher.properties();
        String plugin = p.string(PLUGIN);
        String builtin = p.string(BUILTIN);
        boolean hasPlugin = plugin != null && !plugin.isEmpty();
        boolean hasBuiltin = builtin != null && !builtin.isEmpty();
        if (hasPlugin && hasBuiltin) {
            problems.report(BUILTIN, "cannot be set with plugin: a check is a plugin or a builtin");
        } else if (!hasPlugin && !hasBuiltin) {
            problems.report(null, "a nagios watcher needs a plugin or a builtin");
        }
        if (hasPlugin) {
            checkPlugin(plugin, problems);
        }
        if (hasBuiltin) {
            switch (builtin) {
                case HEARTBEAT -> { }
                case GOSS -> {
                    if (!p.isSet(GOSSFILE) || p.string(GOSSFILE).isEmpty()) {
                        problems.report(GOSSFILE, "is required with builtin: goss");
                    }
                    if (GossCheck.find(settings.agentPath()).isEmpty()) {
                        problems.report(BUILTIN, "goss needs a goss binary in the agent's PATH, and there is none ("
                                + settings.agentPath() + ")");
                    }
                }
                case CHORIA_STATUS -> {
                    if (p.duration(LAST_MESSAGE).isZero()) {
                        problems.report(LAST_MESSAGE, "is required with builtin: choria_status");
                    }
                }
                default -> problems.report(BUILTIN, "unknown builtin " + MessageQuotes.quote(builtin)
                        + ": it is one of heartbeat, goss, choria_status");
            }
        }
        Duration interval = watcher.interval();
        if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
            problems.report(null, "interval " + Durations.format(interval) + " is too short for a nagios watcher: the"
                    + " minimum is " + Durations.format(MIN_INTERVAL) + " (without an interval it checks only on"
                    + " FORCE_CHECK)");
        }
    }

    /** A plugin without templates can be split now; one with templates is split at each check. */
    private static void checkPlugin(String plugin, ProblemReporter problems) {
        if (plugin.contains("{{")) {
            return;
        }
        try {
            if (ShellWords.split(plugin).isEmpty()) {
                problems.report(PLUGIN, "has no words to run (only blanks and a # comment)");
            }
        } catch (ShellWords.SyntaxException e) {
            problems.report(PLUGIN, "cannot be split into words: " + e.getMessage());
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new NagiosWatcher(context, NagiosProperties.of(context.definition().properties()), settings, builtins,
                statusFile(context.noop() ? Optional.empty() : context.textfileDirectory())); // noop: no textfile
    }

    private synchronized StatusFile statusFile(Optional<Path> directory) {
        return statusFiles.computeIfAbsent(directory, d -> new StatusFile(d, clock.instant()));
    }

    /** The runtime stops: the textfiles go. */
    @Override
    public synchronized void close() {
        statusFiles.values().forEach(StatusFile::close);
        statusFiles.clear();
    }
}
