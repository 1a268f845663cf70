package dev.tend.watchers.metric;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.units.Durations;
import dev.tend.watchers.process.ChildSlot;
import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.PlainCommand;
import dev.tend.watchers.process.RunFailure;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One gathering: render the command, run it as a {@link PlainCommand} with the watcher's timeout, read its output
 * ({@link MetricOutput}), set the {@code labels} property over the output's, and send the result to Graphite when it is
 * configured. Blocks for the whole run (it is the watcher's waiting work); nothing is thrown.
 */
final class MetricRun {

    /** What a gathering came to. */
    enum Kind {
        /** The command ran and its output was read: {@link Result#metric()}. */
        GATHERED,
        /** The command ran but its output is Choria's format and cannot be read: {@link Result#problem()}. */
        BAD_OUTPUT,
        /** The command could not be run, failed or timed out: {@link Result#problem()}. */
        FAILED,
        /** The watcher stopped meanwhile: nothing is reported. */
        STOPPED,
        /** Noop mode: the command was logged, not run; there is nothing to report. */
        NOOP
    }

    /**
     * @param kind         what the gathering came to
     * @param metric       the result when gathered, else null
     * @param problem      why not, one line; or, when gathered, why Graphite did not get it; else empty
     * @param runtimeNanos how long the command ran
     * @param command      the command as run (rendered), or as written when it could not be rendered
     */
    record Result(Kind kind, Metric metric, String problem, long runtimeNanos, String command) {
    }

    private final MetricProperties properties;
    private final WatcherContext context;
    private final MetricSettings settings;
    private final ChildSlot slot;

    MetricRun(MetricProperties properties, WatcherContext context, MetricSettings settings, ChildSlot slot) {
        this.properties = properties;
        this.context = context;
        this.settings = settings;
        this.slot = slot;
    }

    Result run() {
        String rendered;
        try {
            rendered = context.templates().render(properties.command());
        } catch (TemplateException e) {
            return new Result(Kind.FAILED, null, "cannot render the command: " + e.getMessage(), 0,
                    properties.command());
        }
        Instant began = context.clock().instant();
        PlainCommand.Result ran;
        try {
            ran = new PlainCommand(context, settings.command(), slot)
                    .run(PlainCommand.words(rendered, "command"), properties.timeout());
        } catch (RunFailure f) {
            return new Result(Kind.FAILED, null, f.getMessage(), 0, rendered);
        }
        long runtime = Math.max(0, Duration.between(began, context.clock().instant()).toNanos());
        String failed = switch (ran.end()) {
            case NOT_RUN -> ran.reason();
            case STOPPED, NOOP -> null;
            case TIMED_OUT -> "timed out after " + Durations.format(properties.timeout())
                    + "; its processes were killed";
            case EXITED -> ran.exitCode() == null ? "its exit status is unknown"
                    : ran.exitCode() != 0 ? "exited with status " + ran.exitCode() : "";
        };
        if (failed == null) {
            return new Result(ran.end() == PlainCommand.End.NOOP ? Kind.NOOP : Kind.STOPPED, null, "", runtime,
                    rendered);
        }
        if (!failed.isEmpty()) {
            String output = ran.output().strip();
            return new Result(Kind.FAILED, null, output.isEmpty() ? failed : failed + ": " + firstLine(output),
                    runtime, rendered);
        }
        MetricOutput.Parsed parsed;
        try {
            parsed = MetricOutput.parse(ran.output());
        } catch (MetricOutput.BadOutput e) {
            return new Result(Kind.BAD_OUTPUT, null, e.getMessage(), runtime, rendered);
        }
        Map<String, String> labels = new LinkedHashMap<>(parsed.labels());
        labels.putAll(properties.labels());
        Metric metric = new Metric(labels, parsed.metrics(), context.clock().instant().getEpochSecond());
        String graphiteProblem = properties.graphite() && !metric.metrics().isEmpty() ? graphite(metric, runtime) : "";
        return new Result(Kind.GATHERED, metric, graphiteProblem, runtime, rendered);
    }

    /** Sends the result to Graphite. @return why it could not, or empty */
    private String graphite(Metric metric, long runtimeNanos) {
        String host;
        String port;
        String prefix;
        try {
            host = context.templates().render(properties.graphiteHost());
            port = context.templates().render(properties.graphitePort());
            prefix = context.templates().render(properties.graphitePrefix());
        } catch (TemplateException e) {
            return "cannot render the Graphite properties: " + e.getMessage();
        }
        if (host.isBlank()) { // an empty host name would be the loopback address
            return "graphite_host " + MessageQuotes.quote(properties.graphiteHost()) + " renders empty";
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            return "graphite_port " + MessageQuotes.quote(port) + " is not a port number";
        }
        try {
            Graphite.send(host, portNumber, Graphite.lines(prefix, metric.metrics(), runtimeNanos / 1e9,
                    metric.time()), settings.connectTimeout());
            return "";
        } catch (IOException | IllegalArgumentException e) {
            return "cannot send to Graphite at " + host + ":" + portNumber + ": " + e.getMessage();
        }
    }

    private static String firstLine(String output) {
        int nl = output.indexOf('\n');
        return nl < 0 ? output : output.substring(0, nl) + " ...";
    }
}
