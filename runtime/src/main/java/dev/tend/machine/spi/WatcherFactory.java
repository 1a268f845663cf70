package dev.tend.machine.spi;

import java.util.List;

/**
 * A watcher type, found with {@link java.util.ServiceLoader} (built-ins, and jars in the plugins directory). The runtime
 * decodes and checks the declared {@link #properties()} at load time, then asks {@link #validate} for the type's own rules,
 * so a machine that loads can start.
 */
public interface WatcherFactory {

    /** The {@code type} name in {@code machine.yaml}, e.g. {@code exec}. */
    String type();

    /** Every property this type understands; other keys are load warnings with a suggestion. */
    List<PropertySpec> properties();

    /**
     * The type's own checks beyond the declared types (ranges, combinations, the common fields it forbids). Report each
     * problem; do not throw.
     */
    default void validate(WatcherDefinition watcher, ProblemReporter problems) {
    }

    /** A new watcher for one machine. Called when the machine starts (after its splay), never for an invalid definition. */
    Watcher create(WatcherContext context);

    /**
     * The runtime that loaded this factory stops (after every machine stopped): release what the factory shares among
     * its watchers, e.g. a scheduler thread. A factory instance serves one runtime. Default: nothing to release.
     */
    default void close() {
    }
}
