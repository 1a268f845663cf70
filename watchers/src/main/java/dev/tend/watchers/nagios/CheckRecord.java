package dev.tend.watchers.nagios;

import dev.tend.watchers.perfdata.PerfData;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
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

    /** Go's {@code time.RFC3339Nano} in UTC: as many digits of the fraction as it needs, none when it is zero. */
    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder().appendInstant(-1).toFormatter();

    CheckRecord {
        perfData = List.copyOf(perfData);
    }

    /**
     * The reference's form: {@code execute} (RFC 3339 in UTC, the fraction of a second without trailing zeros, as Go
     * writes a time), {@code status} (the code), {@code perfdata} unless empty.
     */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("execute", RFC3339_NANO.format(executed));
        m.put("status", status.code());
        if (!perfData.isEmpty()) {
            m.put("perfdata", perfData.stream().map(PerfData::toMap).toList());
        }
        return m;
    }
}
