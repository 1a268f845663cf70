package dev.tend.watchers.nagios;

import dev.tend.watchers.prometheus.Exposition;
import dev.tend.watchers.prometheus.Textfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Prometheus textfile of a directory's nagios checks, {@value #FILE_NAME}, with the reference's metrics: gauges
 * {@code choria_machine_nagios_start_time}, {@code choria_machine_nagios_watcher_status{name,status}} (the status code),
 * {@code choria_machine_nagios_watcher_last_run_seconds{name}} and the counter
 * {@code choria_machine_nagios_watcher_checks_count{name}}, where {@code name} is the machine's name. Each change
 * rewrites the whole file atomically (a temporary file in the same directory, mode 0644, renamed over it), so a
 * collector never reads half a file. Nothing is written while the directory does not exist, or without one.
 *
 * <p>One per directory, shared by the watchers of a factory; its methods lock it.
 */
final class StatusFile {

    static final String FILE_NAME = "choria_machine_nagios_watcher_status.prom";
    private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);

    /** A machine's line in the file. */
    private record Entry(NagiosStatus status, Instant lastRun, long checks) {
    }

    private final Optional<Path> directory;
    private final long startTime;
    private final Map<String, Entry> entries = new TreeMap<>();

    /**
     * @param directory where the file goes; empty: nowhere (every call does nothing)
     * @param startTime the file's {@code choria_machine_nagios_start_time}
     */
    StatusFile(Optional<Path> directory, Instant startTime) {
        this.directory = directory;
        this.startTime = startTime.getEpochSecond();
    }

    /** Records a machine's status (a check, or a state change) and rewrites the file. Counts one more check. */
    synchronized void update(String machine, NagiosStatus status, Instant when) {
        if (directory.isEmpty()) {
            return;
        }
        Entry previous = entries.get(machine);
        entries.put(machine, new Entry(status, when, previous == null ? 1 : previous.checks() + 1));
        save();
    }

    /** The machine stopped or was removed: its lines go. */
    synchronized void remove(String machine) {
        if (directory.isEmpty() || entries.remove(machine) == null) {
            return;
        }
        save();
    }

    /** The runtime stops: the file goes. */
    synchronized void close() {
        entries.clear();
        directory.ifPresent(d -> Textfile.delete(d, FILE_NAME, LOG));
    }

    /** The file's text. */
    synchronized String text() {
        StringBuilder s = new StringBuilder();
        s.append("# HELP choria_machine_nagios_start_time Time the Choria Machine subsystem started in unix seconds\n");
        s.append("# TYPE choria_machine_nagios_start_time gauge\n");
        s.append("choria_machine_nagios_start_time ").append(startTime).append('\n');
        s.append("# HELP choria_machine_nagios_watcher_status Choria Nagios Check Status\n");
        s.append("# TYPE choria_machine_nagios_watcher_status gauge\n");
        entries.forEach((name, e) -> {
            if (e.status().isCheckResult()) {
                s.append("choria_machine_nagios_watcher_status{name=").append(label(name)).append(",status=\"")
                        .append(e.status().name()).append("\"} ").append(e.status().code()).append('\n');
            }
        });
        s.append("# HELP choria_machine_nagios_watcher_last_run_seconds Choria Nagios Check Time\n");
        s.append("# TYPE choria_machine_nagios_watcher_last_run_seconds gauge\n");
        entries.forEach((name, e) -> s.append("choria_machine_nagios_watcher_last_run_seconds{name=").append(label(name))
                .append("} ").append(e.lastRun().getEpochSecond()).append('\n'));
        s.append("# HELP choria_machine_nagios_watcher_checks_count Choria Nagios Check Count\n");
        s.append("# TYPE choria_machine_nagios_watcher_checks_count counter\n");
        entries.forEach((name, e) -> s.append("choria_machine_nagios_watcher_checks_count{name=").append(label(name))
                .append("} ").append(e.checks()).append('\n'));
        return s.toString();
    }

    private void save() {
        Textfile.write(directory.orElseThrow(), FILE_NAME, text(), LOG);
    }

    /** A label value in the exposition format: quoted, with {@code \}, {@code "} and new lines escaped. */
    private static String label(String value) {
        return Exposition.labelValue(value);
    }
}
