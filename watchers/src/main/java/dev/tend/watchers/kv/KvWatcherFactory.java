package dev.tend.watchers.kv;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.Names;
import dev.tend.machine.hiera.HieraResolver;
import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.machine.template.JsonPaths;
import dev.tend.machine.template.TemplateRenderer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code kv} watcher type: copies a KV key's value (or, in watch mode, a filter's or a whole bucket's values) into
 * the machine's data and fires {@code success_transition} when it changes, {@code fail_transition} when it cannot read.
 * {@code mode: poll} is the reference's; {@code mode: watch} is Tend's, on a store watch. Written against the store's API
 * only ({@code context.store()}), so it works on every backend.
 */
public final class KvWatcherFactory implements WatcherFactory {

    public static final String TYPE = "kv";

    /** Makes a Tiny Hiera resolver on the runtime's expression compiler, found then ({@code hiera_config}). */
    private final Supplier<HieraResolver> resolvers;
    /**
     * Made for the first watcher with {@code hiera_config}; every later one gets a resolver on its compiler
     * ({@link HieraResolver#onSameCompiler()}), so the compiler is looked up once. Null until then.
     */
    private volatile HieraResolver firstResolver;

    static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(100);
    static final Duration MIN_RESYNC_INTERVAL = Duration.ofSeconds(1);

    public KvWatcherFactory() {
        this(HieraResolver::standard);
    }

    /** With {@code resolvers} to make the first Tiny Hiera resolver (once, when a watcher first needs one). */
    KvWatcherFactory(Supplier<HieraResolver> resolvers) {
        this.resolvers = resolvers;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(
                PropertySpec.of("bucket", PropertyType.STRING).required()
                        .describedAs("the bucket to read"),
                PropertySpec.of("key", PropertyType.STRING).templated()
                        .describedAs("the key to read (a template); required in poll mode; in watch mode also a filter"
                                + " with * and >, or absent for the whole bucket"),
                PropertySpec.of("mode", PropertyType.STRING).withDefault(KvSettings.POLL)
                        .allowing(KvSettings.POLL, KvSettings.WATCH)
                        .describedAs("poll: read every interval; watch: react to every change at once (Tend only)"),
                PropertySpec.of("bucket_prefix", PropertyType.BOOLEAN).withDefault(true)
                        .describedAs("store the value as data <bucket>_<key> rather than <key>"),
                PropertySpec.of("store_key", PropertyType.STRING).templated()
                        .describedAs("the data key to store the value under instead of the key (a template)"),
                PropertySpec.of("query", PropertyType.STRING)
                        .describedAs("for JSON object values: store only the part at this gjson path"),
                PropertySpec.of("on_successful_get", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("every successful read counts as a change (fires success_transition)"),
                PropertySpec.of("on_matching_update", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("a new write of an equal value counts as a change"),
                PropertySpec.of("hiera_config", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("JSON object values are Tiny Hiera documents: store the data they resolve to"
                                + " with the node's facts"),
                PropertySpec.of("republish_trigger", PropertyType.STRING)
                        .describedAs("not supported by Tend: use mode: watch, which reacts to every change at once"));
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        WatcherProperties p = watcher.properties();
        boolean watch = KvSettings.WATCH.equals(p.string("mode"));
        String bucket = p.string("bucket");
        if (bucket != null) {
            check(problems, "bucket", () -> Names.checkBucketName(bucket));
        }
        checkKey(p.string("key"), watch, problems);
        String storeKey = p.string("store_key");
        if (storeKey != null) {
            checkTemplate(storeKey, "store_key", problems);
        }
        String query = p.string("query");
        if (query != null && !query.isEmpty()) {
            JsonPaths.problem(query).ifPresent(message -> problems.report("query", message));
        }
        if (p.isSet("republish_trigger")) {
            problems.report("republish_trigger", "not supported by Tend: use mode: watch, which reacts to every"
                    + " change of the key at once");
        }
        checkInterval(watcher.interval(), watch, problems);
    }

    private static void checkKey(String key, boolean watch, ProblemReporter problems) {
        if (key == null || key.isEmpty()) {
            if (!watch) {
                problems.report("key", "is required in poll mode (in watch mode, leave it out to watch the whole"
                        + " bucket)");
            }
            return;
        }
        if (key.contains("{{")) {
            checkTemplate(key, "key", problems);
            return;
        }
        if (watch) {
            check(problems, "key", () -> KeyFilter.of(key));
        } else if (key.contains("*") || key.contains(">")) {
            problems.report("key", "\"" + key + "\" is a filter; filters need mode: watch");
        } else {
            check(problems, "key", () -> Names.checkKey(key));
        }
    }

    private static void checkInterval(Duration interval, boolean watch, ProblemReporter problems) {
        if (!watch && interval.isZero()) {
            problems.report(null, "interval is required in poll mode, e.g. interval: 10s (mode: watch needs none)");
        } else if (!watch && interval.compareTo(MIN_POLL_INTERVAL) < 0) {
            problems.report(null, "interval must be at least 100ms in poll mode, not " + interval.toMillis() + "ms");
        } else if (watch && !interval.isZero() && interval.compareTo(MIN_RESYNC_INTERVAL) < 0) {
            problems.report(null, "interval (the period of a full resync in watch mode) must be at least 1s, not "
                    + interval.toMillis() + "ms");
        }
    }

    private static void checkTemplate(String template, String property, ProblemReporter problems) {
        try {
            TemplateRenderer.check(template);
        } catch (TemplateException e) {
            problems.report(property, e.getMessage());
        }
    }

    private static void check(ProblemReporter problems, String property, Runnable check) {
        try {
            check.run();
        } catch (InvalidInputException e) {
            problems.report(property, e.getMessage());
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        KvSettings settings = KvSettings.of(context.definition());
        // A resolver per watcher (it keeps the expressions of its documents), on the one compiler.
        HieraValues hiera = settings.hieraConfig() ? new HieraValues(hieraResolver(), context::facts) : null;
        return settings.watch() ? new WatchingKvWatcher(context, settings, hiera)
                : new PollingKvWatcher(context, settings, hiera);
    }

    private HieraResolver hieraResolver() {
        HieraResolver first = firstResolver;
        if (first == null) {
            synchronized (this) {
                if (firstResolver == null) {
                    firstResolver = resolvers.get();
                    return firstResolver;
                }
                first = firstResolver;
            }
        }
        return first.onSameCompiler();
    }

    /**
     * The state event's fields, as the reference names them: {@code state} (the last outcome), {@code bucket},
     * {@code key} (when set), {@code mode}.
     */
    static Map<String, Object> state(KvOutcome outcome, KvSettings settings) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", outcome.text());
        fields.put("bucket", settings.bucket());
        if (!settings.key().isEmpty()) {
            fields.put("key", settings.key());
        }
        fields.put("mode", settings.mode());
        return fields;
    }

    /** An exception as one line for a log. */
    static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
