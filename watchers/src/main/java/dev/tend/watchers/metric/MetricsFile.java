package dev.tend.watchers.metric;

import dev.tend.watchers.prometheus.Exposition;
import dev.tend.watchers.prometheus.Textfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Prometheus textfile of a directory's metric watchers, {@value #FILE_NAME}, as the reference writes it: for each
 * metric of each watcher a gauge {@code choria_machine_metric_watcher_<watcher>_<metric>} (help text
 * {@code Choria Metric}) with the result's labels, where the watcher's name, and each label's name and value, are
 * lower-cased with blanks, commas and double quotes replaced by {@code _}. Beyond the reference, whatever would still
 * make the file invalid is replaced by {@code _} too (other characters in names), and a series two watchers would both
 * write (the same name and labels) is written once, the first machine's in name order. Each change rewrites the whole
 * file atomically ({@link Textfile}); nothing is written while the directory does not exist, or without one.
 *
 * <p>One per directory, shared by the watchers of a factory; its methods lock it.
 */
final class MetricsFile {

    static final String FILE_NAME = "choria_machine_metrics_watcher_status.prom";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsFile.class);

    /** A watcher of a machine. */
    private record Key(String machine, String watcher) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::machine).thenComparing(Key::watcher);

    private final Optional<Path> directory;
    private final Map<Key, Metric> entries = new TreeMap<>(ORDER);

    /** @param directory where the file goes; empty: nowhere (every call does nothing) */
    MetricsFile(Optional<Path> directory) {
        this.directory = directory;
    }

    /** Writes the file as it is (a watcher starts: the reference writes it then). */
    synchronized void touch() {
        directory.ifPresent(this::save);
    }

    /** A watcher's new result replaces its old one; the file is rewritten. */
    synchronized void update(String machine, String watcher, Metric metric) {
        if (directory.isEmpty()) {
            return;
        }
        entries.put(new Key(machine, watcher), metric);
        save(directory.get());
    }

    /** The watcher stopped: its lines go. */
    synchronized void remove(String machine, String watcher) {
        if (directory.isEmpty() || entries.remove(new Key(machine, watcher)) == null) {
            return;
        }
        save(directory.get());
    }

    /** The runtime stops: the file goes. */
    synchronized void close() {
        entries.clear();
        directory.ifPresent(d -> Textfile.delete(d, FILE_NAME, LOG));
    }

    /** The file's text. */
    synchronized String text() {
        Map<String, List<String>> samples = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        entries.forEach((key, metric) -> {
            String labels = labels(metric.labels());
            metric.metrics().forEach((name, value) -> {
                String metricName = Exposition.metricName("choria_machine_metric_watcher_" + promName(key.watcher())
                        + "_" + name);
                String series = metricName + "{" + labels + "}";
                if (seen.add(series)) {
                    samples.computeIfAbsent(metricName, n -> new ArrayList<>())
                            .add(series + " " + Exposition.value(value));
                }
            });
        });
        StringBuilder s = new StringBuilder();
        samples.forEach((name, lines) -> {
            s.append("# HELP ").append(name).append(" Choria Metric\n");
            s.append("# TYPE ").append(name).append(" gauge\n");
            lines.forEach(line -> s.append(line).append('\n'));
        });
        return s.toString();
    }

    /** {@code name="value",...}, sorted by name; of two labels with the same name once written, the first. */
    private static String labels(Map<String, String> labels) {
        Map<String, String> written = new TreeMap<>();
        labels.forEach((name, value) -> written.putIfAbsent(Exposition.labelName(promName(name)),
                Exposition.labelValue(promName(value))));
        StringBuilder s = new StringBuilder();
        written.forEach((name, value) -> {
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(name).append('=').append(value);
        });
        return s.toString();
    }

    /** The reference's: lower case, blanks, commas and double quotes as {@code _}. */
    static String promName(String name) {
        return name.toLowerCase(Locale.ROOT).replace(' ', '_').replace(',', '_').replace('"', '_');
    }

    private void save(Path dir) {
        Textfile.write(dir, FILE_NAME, text(), LOG);
    }
}
