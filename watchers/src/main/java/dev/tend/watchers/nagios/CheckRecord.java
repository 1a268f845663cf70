package dev.tend.watchers.nagios;

import dev.tend.watchers.perfdata.PerfData;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One check in the watcher's history (the state event's {@code history}, oldest first, the last
 * {@link NagiosWatcher#HISTORY} checks).
 *
 * @param executed when the check began
 * @param status   its result
 * @param perfData its performance data
 */
record CheckRecord(Instant executed, NagiosStatus status, List<PerfData> perfData) {

    CheckRecord {
        perfData = List.copyOf(perfData);
    }

    /** The reference's form: {@code execute} (RFC 3339), {@code status} (the code), {@code perfdata} unless empty. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("execute", executed.toString());
        m.put("status", status.code());
        if (!perfData.isEmpty()) {
            m.put("perfdata", perfData.stream().map(PerfData::toMap).toList());
        }
        return m;
    }
}
