package dev.tend.watchers.metric;

import dev.tend.machine.spi.WatcherProperties;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A metric watcher's decoded properties.
 *
 * @param command        the command line (a template)
 * @param interval       how often it runs (at least {@link #MIN_INTERVAL})
 * @param timeout        how long it may run before its processes are killed
 * @param labels         labels set over the output's, by name
 * @param store          whether the result goes to the machine data key {@code metric}
 * @param skipPrometheus whether this watcher stays out of the Prometheus textfile
 * @param graphiteHost   Graphite's host (a template), or empty
 * @param graphitePort   Graphite's port (a template), or empty
 * @param graphitePrefix the prefix of the Graphite names (a template)
 */
record MetricProperties(String command, Duration interval, Duration timeout, Map<String, String> labels, boolean store,
                        boolean skipPrometheus, String graphiteHost, String graphitePort, String graphitePrefix) {

    static final String COMMAND = "command";
    static final String INTERVAL = "interval";
    static final String TIMEOUT = "timeout";
    static final String LABELS = "labels";
    static final String STORE = "store";
    static final String SKIP_PROMETHEUS = "skip_prometheus";
    static final String HTTP = "http";
    static final String GRAPHITE_HOST = "graphite_host";
    static final String GRAPHITE_PORT = "graphite_port";
    static final String GRAPHITE_PREFIX = "graphite_prefix";

    /** The reference's shortest interval, also its default: a shorter one is raised to it. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** The reference's timeout (fixed there); also what {@code timeout: 0} means. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    MetricProperties {
        labels = Map.copyOf(labels);
    }

    static MetricProperties of(String watcherName, WatcherProperties p) {
        Duration interval = p.duration(INTERVAL);
        Duration timeout = p.duration(TIMEOUT);
        Map<String, String> labels = new TreeMap<>();
        p.map(LABELS).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        String prefix = orEmpty(p.string(GRAPHITE_PREFIX));
        return new MetricProperties(orEmpty(p.string(COMMAND)),
                interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval,
                timeout.isZero() ? DEFAULT_TIMEOUT : timeout, labels, p.bool(STORE), p.bool(SKIP_PROMETHEUS),
                orEmpty(p.string(GRAPHITE_HOST)), orEmpty(p.string(GRAPHITE_PORT)),
                prefix.isEmpty() ? defaultPrefix(watcherName) : prefix);
    }

    /** The reference's: {@code choria.} and the watcher's name, its blanks replaced by {@code -}. */
    static String defaultPrefix(String watcherName) {
        return "choria." + watcherName.replace(' ', '-');
    }

    /** Whether Graphite is configured: a host and a port (the reference sends nothing without either). */
    boolean graphite() {
        return !graphiteHost.isEmpty() && !graphitePort.isEmpty();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
