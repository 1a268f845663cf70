package dev.tend.machine.engine;

import dev.tend.machine.spi.MachineData;

import java.util.Map;
import java.util.Optional;

/**
 * A machine's data that tells the machine after each put or delete, so that its watchers hear of it
 * ({@code Watcher.dataChanged()}). A put that fails to persist still changed the value in memory, so it tells too.
 */
final class NotifyingMachineData implements MachineData {

    private final MachineData data;
    private final Runnable onChange;

    NotifyingMachineData(MachineData data, Runnable onChange) {
        this.data = data;
        this.onChange = onChange;
    }

    @Override
    public Optional<Object> get(String key) {
        return data.get(key);
    }

    @Override
    public void put(String key, Object value) {
        try {
            data.put(key, value);
        } finally {
            onChange.run();
        }
    }

    @Override
    public void delete(String key) {
        try {
            data.delete(key);
        } finally {
            onChange.run();
        }
    }

    @Override
    public Map<String, Object> snapshot() {
        return data.snapshot();
    }
}
