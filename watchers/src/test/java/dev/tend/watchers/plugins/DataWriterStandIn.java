package dev.tend.watchers.plugins;

import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A watcher type named {@code data_writer} that does nothing on its own: the test writes the machine's data through it,
 * as a {@code kv} watcher of the same machine would.
 */
final class DataWriterStandIn implements WatcherFactory {

    private final List<WatcherContext> contexts = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
        return "data_writer";
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of();
    }

    /** Puts {@code value} under {@code key} in the data of the machine whose watcher was created last. */
    void put(String key, Object value) {
        contexts.get(contexts.size() - 1).data().put(key, value);
    }

    @Override
    public Watcher create(WatcherContext context) {
        contexts.add(context);
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
