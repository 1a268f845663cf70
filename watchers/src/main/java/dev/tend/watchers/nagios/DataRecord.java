package dev.tend.watchers.nagios;

import dev.tend.machine.spi.MachineData;
import dev.tend.machine.spi.MachineDataException;
import dev.tend.watchers.perfdata.PerfData;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A nagios watcher's checks in the machine's data: key {@value #KEY}, an object with one entry per nagios watcher of the
 * machine, by watcher name, holding the last check ({@code status}, {@code status_code}, {@code check_time},
 * {@code output}, {@code perfdata}) and its {@code history}, the last {@link NagiosWatcher#HISTORY} checks as the state
 * event shows them. Unlike the event's history, which starts empty when the machine is loaded (as the reference's), the
 * data's continues from what the data held, so it survives restarts. Watchers of one machine share the key: each
 * update reads and writes it while holding the machine data's monitor, as every writer of this key does.
 */
final class DataRecord {

    static final String KEY = "nagios";

    private DataRecord() {
    }

    /**
     * Records a check: blocking (the data is persisted), so it runs in the check's waiting work. A failure to persist is
     * logged; the value stays in memory, as the data does.
     */
    static void store(MachineData data, String watcher, CheckRecord check, String output, Logger logger) {
        synchronized (data) {
            Map<String, Object> all = new LinkedHashMap<>();
            Optional<Object> current = data.get(KEY);
            if (current.isPresent() && current.get() instanceof Map<?, ?> map) {
                map.forEach((k, v) -> all.put(String.valueOf(k), v));
            }
            all.put(watcher, entry(all.get(watcher), check, output));
            try {
                data.put(KEY, all);
            } catch (MachineDataException e) {
                logger.warn("cannot keep the check in the machine's data: {}", e.getMessage());
            }
        }
    }

    /** The watcher's new entry: this check, and the history the previous entry held with this check added. */
    static Map<String, Object> entry(Object previous, CheckRecord check, String output) {
        List<Object> history = new ArrayList<>();
        if (previous instanceof Map<?, ?> map && map.get("history") instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).forEach(history::add);
        }
        history.add(check.toMap());
        while (history.size() > NagiosWatcher.HISTORY) {
            history.remove(0);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("status", check.status().name());
        entry.put("status_code", check.status().code());
        entry.put("check_time", check.executed().getEpochSecond());
        entry.put("output", output);
        entry.put("perfdata", check.perfData().stream().map(PerfData::toMap).toList());
        entry.put("history", history);
        return entry;
    }
}
