package dev.tend.watchers.plugins;

import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;

import java.util.List;
import java.util.Map;

/**
 * A watcher type named {@code archive} with the reference's archive properties and no behaviour, so that the manager
 * machines these tests write can be loaded and run while this branch has no archive watcher. It only checks the
 * file's shape: names, types, properties.
 */
final class ArchiveStandIn implements WatcherFactory {

    static final List<String> PROPERTIES = List.of("source", "checksum", "creates", "target", "verify",
            "verify_checksum", "username", "password", "governor", "timeout", "governor_timeout", "insecure");

    @Override
    public String type() {
        return "archive";
    }

    @Override
    public List<PropertySpec> properties() {
        return PROPERTIES.stream().map(p -> PropertySpec.of(p, PropertyType.STRING)).toList();
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new Watcher() {
            @Override
            public void start() {
            }

            @Override
            public void stateChanged() {
            }

            @Override
            public void stop() {
            }

            @Override
            public Map<String, Object> currentState() {
                return Map.of();
            }
        };
    }
}
