package dev.tend.machine.testing;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;

import java.util.List;

/**
 * The {@code test} watcher type, for tests of the runtime and, through the runtime's test-jar used as a plugin, for
 * end-to-end tests. Each time it becomes active (at start when the machine is in a matching state, and on every poke into
 * one) it renders {@code message}, appends {@code <state> <message>} to the {@code record} file in the machine directory,
 * stores {@code data_value} (or the message) as machine data {@code data_key}, publishes its state, and fires
 * {@code success_transition} after {@code success_after} and {@code fail_transition} after {@code fail_after}. A poke into
 * an inactive state cancels those pending fires.
 *
 * <p>Tests observe it without static state: construct the factory with a {@link Listener} and register it with
 * {@code WatcherRegistry.of(List.of(factory))}. The listener is called synchronously inside the watcher's calls, so a
 * listener that blocks makes the watcher block there (used to test that a slow watcher delays nobody else).
 */
public final class TestWatcherFactory implements WatcherFactory {

    public static final String TYPE = "test";

    /** Told of every call and action of every watcher this factory creates; called on the watcher's thread. */
    @FunctionalInterface
    public interface Listener {
        void called(TestWatcherCall call);
    }

    private final Listener listener;

    /** For {@link java.util.ServiceLoader}: a factory whose watchers are observed only through their effects. */
    public TestWatcherFactory() {
        this(call -> { });
    }

    public TestWatcherFactory(Listener listener) {
        this.listener = listener;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(
                PropertySpec.of("success_after", PropertyType.DURATION)
                        .describedAs("fire success_transition this long after each activation"),
                PropertySpec.of("fail_after", PropertyType.DURATION)
                        .describedAs("fire fail_transition this long after each activation"),
                PropertySpec.of("message", PropertyType.STRING).withDefault("").templated()
                        .describedAs("text rendered at each activation"),
                PropertySpec.of("record", PropertyType.STRING)
                        .describedAs("file in the machine directory to which each activation appends \"<state> <message>\""),
                PropertySpec.of("data_key", PropertyType.STRING)
                        .describedAs("machine data key written at each activation"),
                PropertySpec.of("data_value", PropertyType.ANY)
                        .describedAs("the value written to data_key (default: the rendered message)"),
                PropertySpec.of("tags", PropertyType.STRING_LIST).describedAs("shown in the watcher's state"),
                PropertySpec.of("labels", PropertyType.MAP).describedAs("shown in the watcher's state"),
                PropertySpec.of("mode", PropertyType.STRING).withDefault("repeat").allowing("once", "repeat")
                        .describedAs("once: fire only after the first activation; repeat: after every activation"),
                PropertySpec.of("max_fires", PropertyType.INTEGER).withDefault(0L)
                        .describedAs("fire at most this many times (0: no limit)"),
                PropertySpec.of("fail_create", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("the factory throws instead of creating the watcher"),
                PropertySpec.of("fail_start", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("start() throws"));
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        var p = watcher.properties();
        if (p.isSet("success_after") && watcher.successTransition().isEmpty()) {
            problems.report("success_after", "needs a success_transition to fire");
        }
        if (p.isSet("fail_after") && watcher.failTransition().isEmpty()) {
            problems.report("fail_after", "needs a fail_transition to fire");
        }
        if (p.isSet("data_value") && !p.isSet("data_key")) {
            problems.report("data_value", "needs a data_key to store it under");
        }
        long maxFires = p.integer("max_fires", 0);
        if (maxFires < 0) {
            problems.report("max_fires", "must be 0 (no limit) or more, not " + maxFires);
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        TestWatcher watcher = new TestWatcher(context, listener);
        if (context.definition().properties().bool("fail_create")) {
            throw new IllegalStateException("fail_create is set");
        }
        listener.called(watcher.call(TestWatcherCall.Kind.CREATED));
        return watcher;
    }
}
