package dev.tend.machine.agent;

import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;

import java.util.List;

/** A watcher type that only {@link PluginsTest}'s jars register (no services file on the test class path names it). */
public final class PluginProbeFactory implements WatcherFactory {

    @Override
    public String type() {
        return "plugin_probe";
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of();
    }

    @Override
    public Watcher create(WatcherContext context) {
        throw new UnsupportedOperationException("not used");
    }
}
