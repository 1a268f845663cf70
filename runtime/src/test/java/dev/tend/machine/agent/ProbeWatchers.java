package dev.tend.machine.agent;

import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A watcher type {@code probe} for agent tests that records what the engine does with each machine's watcher:
 * {@code start}, {@code stop}, {@code delete} by machine name (and instance). One instance per test, no static state.
 */
final class ProbeWatchers implements WatcherFactory {

    private final ConcurrentMap<String, List<String>> calls = new ConcurrentHashMap<>();

    WatcherRegistry registry() {
        return WatcherRegistry.of(List.of(this));
    }

    /** What happened to the watchers of machine {@code name}, oldest first, as {@code call@instance}. */
    List<String> calls(String name) {
        List<String> list = calls.get(name);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Just the call names for machine {@code name}. */
    List<String> callNames(String name) {
        return calls(name).stream().map(c -> c.substring(0, c.indexOf('@'))).toList();
    }

    private void record(WatcherContext context, String call) {
        List<String> list = calls.computeIfAbsent(context.machineName(), k -> new ArrayList<>());
        synchronized (list) {
            list.add(call + "@" + context.instanceId());
        }
    }

    @Override
    public String type() {
        return "probe";
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(PropertySpec.of("note", PropertyType.STRING).describedAs("free text"));
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new Watcher() {
            @Override
            public void start() {
                record(context, "start");
            }

            @Override
            public void stateChanged() {
                record(context, "state " + context.currentState());
            }

            @Override
            public void stop() {
                record(context, "stop");
            }

            @Override
            public void delete() {
                record(context, "delete");
            }

            @Override
            public Map<String, Object> currentState() {
                return Map.of();
            }
        };
    }
}
