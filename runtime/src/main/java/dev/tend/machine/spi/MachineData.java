package dev.tend.machine.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A machine's data: JSON-like values (String, Number, Boolean, null, List, Map) by key, persisted by the agent so they
 * survive restarts. Watchers write it (the kv watcher stores the value it saw); exec commands read it as
 * {@code WATCHER_DATA}; templates read it with {@code lookup "data.key"}.
 */
public interface MachineData {

    Optional<Object> get(String key);

    /** Stores and persists; throws {@link MachineDataException} when it cannot be persisted (the value stays in memory). */
    void put(String key, Object value);

    /** Removes and persists; no-op when absent. */
    void delete(String key);

    /** An immutable copy of every key and value. */
    Map<String, Object> snapshot();
}
