package com.example.laneprobe;

import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;

import java.util.List;

/**
 * A plugin that checks the lane from inside: type {@code lane_probe}. Compiled into a jar by the runtime's tests, never on
 * their class path, so it is loaded as the agent loads plugins.
 */
public final class LaneProbeWatcherFactory implements WatcherFactory {

    @Override
    public String type() {
        return "lane_probe";
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(PropertySpec.of("tasks", PropertyType.INTEGER).withDefault(200L)
                .describedAs("how many tasks of each kind the probe gives its lane"));
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new LaneProbeWatcher(context, (int) context.definition().properties().integer("tasks", 200));
    }
}
