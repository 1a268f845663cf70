package dev.tend.watchers.metric;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;
import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.PlainCommand;
import dev.tend.watchers.process.RunFailure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tend.watchers.metric.MetricProperties.COMMAND;
import static dev.tend.watchers.metric.MetricProperties.GRAPHITE_HOST;
import static dev.tend.watchers.metric.MetricProperties.GRAPHITE_PORT;
import static dev.tend.watchers.metric.MetricProperties.GRAPHITE_PREFIX;
import static dev.tend.watchers.metric.MetricProperties.HTTP;
import static dev.tend.watchers.metric.MetricProperties.INTERVAL;
import static dev.tend.watchers.metric.MetricProperties.LABELS;
import static dev.tend.watchers.metric.MetricProperties.MIN_INTERVAL;
import static dev.tend.watchers.metric.MetricProperties.SKIP_PROMETHEUS;
import static dev.tend.watchers.metric.MetricProperties.STORE;
import static dev.tend.watchers.metric.MetricProperties.TIMEOUT;

/**
 * The {@code metric} watcher type: a command printing metrics (Choria's JSON or Nagios performance data) every
 * {@code properties.interval}, its results in the Prometheus textfile, Graphite and the machine data. See
 * {@link MetricWatcher}.
 */
public final class MetricWatcherFactory implements WatcherFactory {

    public static final String TYPE = "metric";

    private static final List<PropertySpec> PROPERTIES = List.of(
            PropertySpec.of(COMMAND, PropertyType.STRING).required().templated()
                    .describedAs("the command printing the metrics, with its arguments, split into words as a shell"
                            + " would but run without one; its output is Choria's JSON {\"labels\": {...},"
                            + " \"metrics\": {...}} or a Nagios plugin's performance data"),
            PropertySpec.of(INTERVAL, PropertyType.DURATION).withDefault(MIN_INTERVAL)
                    .describedAs("how often the command runs (at least 1s, the default; the watcher's own interval"
                            + " is not used)"),
            PropertySpec.of(TIMEOUT, PropertyType.DURATION).withDefault(MetricProperties.DEFAULT_TIMEOUT)
                    .describedAs("how long the command may run before it and every process it started are killed"
                            + " (0: the default, 1s, the reference's fixed timeout)"),
            PropertySpec.of(LABELS, PropertyType.MAP)
                    .describedAs("labels set on every result, over the output's"),
            PropertySpec.of(STORE, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("store each result in the machine data key metric, as {WATCHER: {labels, metrics,"
                            + " time}}"),
            PropertySpec.of(SKIP_PROMETHEUS, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("leave this watcher's results out of the Prometheus textfile"),
            PropertySpec.of(HTTP, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("accepted for Choria's machines and ignored (Tend has no HTTP listener)"),
            PropertySpec.of(GRAPHITE_HOST, PropertyType.STRING).templated()
                    .describedAs("send each result to this Graphite host (plaintext protocol over TCP), with"
                            + " graphite_port"),
            PropertySpec.of(GRAPHITE_PORT, PropertyType.STRING).templated()
                    .describedAs("Graphite's plaintext port, e.g. 2003"),
            PropertySpec.of(GRAPHITE_PREFIX, PropertyType.STRING).templated()
                    .describedAs("the prefix of the Graphite names (default: choria. and the watcher's name, blanks"
                            + " as -)"));

    private final MetricSettings settings;
    /** One file per textfile directory, shared by this factory's watchers. */
    private final Map<Optional<Path>, MetricsFile> metricsFiles = new HashMap<>();

    /** For {@link java.util.ServiceLoader}: the agent's settings. */
    public MetricWatcherFactory() {
        this(MetricSettings.defaults());
    }

    MetricWatcherFactory(MetricSettings settings) {
        this.settings = settings;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return PROPERTIES;
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        WatcherProperties p = watcher.properties();
        String command = p.string(COMMAND);
        if (command != null && !command.contains("{{")) {
            try {
                PlainCommand.words(command, "command");
            } catch (RunFailure f) {
                problems.report(COMMAND, f.getMessage());
            }
        }
        Duration interval = p.duration(INTERVAL);
        if (p.isSet(INTERVAL) && interval.compareTo(MIN_INTERVAL) < 0) {
            problems.warn(INTERVAL, Durations.format(interval) + " is raised to the minimum, "
                    + Durations.format(MIN_INTERVAL));
        }
        if (p.duration(TIMEOUT).isNegative()) {
            problems.report(TIMEOUT, "cannot be negative");
        }
        p.map(LABELS).forEach((name, value) -> {
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                problems.report(LABELS, "the value of " + MessageQuotes.quote(name) + " must be a string, not a "
                        + (value instanceof Map<?, ?> ? "mapping" : "list"));
            } else if (value == null) {
                problems.report(LABELS, "the value of " + MessageQuotes.quote(name) + " is empty: give a string");
            }
        });
        checkGraphite(p, problems);
        if (!watcher.interval().isZero()) {
            problems.warn(null, "the watcher's interval is not used by a metric watcher: set properties.interval");
        }
        if (!watcher.successTransition().isEmpty()) {
            problems.warn(null, "a metric watcher never fires its success_transition");
        }
    }

    private static void checkGraphite(WatcherProperties p, ProblemReporter problems) {
        String host = p.string(GRAPHITE_HOST);
        String port = p.string(GRAPHITE_PORT);
        boolean hasHost = host != null && !host.isEmpty();
        boolean hasPort = port != null && !port.isEmpty();
        if (hasPort && !port.contains("{{")) {
            int number;
            try {
                number = Integer.parseInt(port.strip());
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65535) {
                problems.report(GRAPHITE_PORT, MessageQuotes.quote(port) + " is not a port number (1-65535)");
            }
        }
        if (hasHost != hasPort) {
            problems.warn(hasHost ? GRAPHITE_HOST : GRAPHITE_PORT, "nothing is sent to Graphite without "
                    + (hasHost ? GRAPHITE_PORT : GRAPHITE_HOST));
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new MetricWatcher(context, MetricProperties.of(context.definition().name(),
                context.definition().properties()), settings,
                metricsFile(context.noop() ? Optional.empty() : context.textfileDirectory())); // noop: no textfile
    }

    private synchronized MetricsFile metricsFile(Optional<Path> directory) {
        return metricsFiles.computeIfAbsent(directory, MetricsFile::new);
    }

    /** The runtime stops: the textfiles go. */
    @Override
    public synchronized void close() {
        metricsFiles.values().forEach(MetricsFile::close);
        metricsFiles.clear();
    }
}
