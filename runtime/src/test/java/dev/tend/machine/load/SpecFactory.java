package dev.tend.machine.load;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;

import java.util.List;
import java.util.function.BiConsumer;

/** A watcher type for loader tests: declared properties and checks, no watcher (the loader never creates one). */
record SpecFactory(String type, List<PropertySpec> properties, BiConsumer<WatcherDefinition, ProblemReporter> checks)
        implements WatcherFactory {

    SpecFactory(String type, List<PropertySpec> properties) {
        this(type, properties, (d, r) -> { });
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        checks.accept(watcher, problems);
    }

    @Override
    public Watcher create(WatcherContext context) {
        throw new UnsupportedOperationException("loader tests never start a watcher");
    }
}
