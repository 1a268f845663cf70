package dev.tend.observe.metrics;

import dev.tend.machine.event.EventSink;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The machines' figures taken from the events the agent publishes (subscribed in-process: nothing is polled):
 * transitions, watcher runs by outcome and their durations, exec time-outs.
 *
 * <p>A watcher run is a watcher state event with an outcome ({@code previous_outcome}, or a nagios check's
 * {@code status}) whose fields differ from the same watcher's previous event: a periodic announcement
 * ({@code announce_interval}) repeats the last event unchanged and is not counted again. A run whose success is not
 * announced ({@code suppress_success_announce}) publishes no event and is not counted. {@code unknown} (no run yet) is
 * not a run. The duration is {@code previous_run_time} (exec, archive, plugins and machines: nanoseconds) or a nagios
 * check's {@code runtime} (seconds); a skipped run has none.
 *
 * <p>Label cardinality: the counters carry the machine (and watcher) names, one series per machine and what happened
 * to it; the duration histogram carries only the watcher type and the outcome (its buckets times 1,000 machines would
 * be tens of thousands of series).
 */
public final class MachineEventMetrics implements EventSink {

    /** Run durations' bucket bounds, seconds: from a quick check to a long command. */
    static final double[] DURATION_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private static final Logger LOG = LoggerFactory.getLogger(MachineEventMetrics.class);
    private static final String OUTCOME = "previous_outcome";
    private static final String RUN_NANOS = "previous_run_time";
    private static final String NAGIOS_STATUS = "status";
    private static final String NAGIOS_RUNTIME = "runtime";

    private final EventCounter transitions;
    private final EventCounter runs;
    private final Histogram durations;
    private final EventCounter execTimeouts;
    /** Each watcher's last event fields (by machine and watcher name), to tell a run from an announcement. */
    private final Map<String, Map<String, Object>> lastFields = new ConcurrentHashMap<>();

    public MachineEventMetrics(PrometheusRegistry registry) {
        transitions = new EventCounter("tend_machine_transitions",
                "Transitions machines made, by machine, from and to state, and the event that fired them",
                "machine", "from", "to", "event");
        registry.register(transitions);
        runs = new EventCounter("tend_watcher_runs",
                "Watcher runs by machine, watcher, watcher type and outcome (from the watchers' state events)",
                "machine", "watcher", "watcher_type", "outcome");
        registry.register(runs);
        durations = Histogram.builder().name("tend_watcher_run_duration_seconds")
                .help("How long watcher runs took, by watcher type and outcome")
                .labelNames("watcher_type", "outcome").classicOnly().classicUpperBounds(DURATION_BOUNDS)
                .register(registry);
        execTimeouts = new EventCounter("tend_exec_timeouts",
                "exec watcher runs cut at their timeout, by machine and watcher", "machine", "watcher");
        registry.register(execTimeouts);
    }

    /** The counters, each a series per machine, which {@link MetricsHandler} writes from their own bytes. */
    List<TextFamily> textFamilies() {
        return List.of(transitions, runs, execTimeouts);
    }

    @Override
    public void publish(MachineEvent event) {
        try {
            if (event instanceof TransitionEvent t) {
                transitions.inc(t.machine(), t.fromState(), t.toState(), t.transition());
            } else if (event instanceof WatcherStateEvent w) {
                watcher(w);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot count {}: {}", event, e.toString()); // a sink never throws into a machine
        }
    }

    private void watcher(WatcherStateEvent w) {
        Map<String, Object> f = w.fields();
        String outcome = outcome(w.watcherType(), f);
        if (outcome == null || outcome.equals("unknown")) {
            return;
        }
        Map<String, Object> before = lastFields.put(w.machine() + "\u0000" + w.watcherName(), f);
        if (Objects.equals(before, f)) {
            return; // an announcement of the same run
        }
        runs.inc(w.machine(), w.watcherName(), w.watcherType(), outcome);
        double seconds = seconds(f);
        if (seconds >= 0 && !outcome.equals("skipped")) {
            durations.labelValues(w.watcherType(), outcome).observe(seconds);
        }
        if (Boolean.TRUE.equals(f.get("timed_out"))) {
            execTimeouts.inc(w.machine(), w.watcherName());
        }
    }

    /** The run's outcome as the event names it, or null for an event that reports no run. */
    private static String outcome(String type, Map<String, Object> f) {
        if (f.get(OUTCOME) instanceof String s) {
            return s;
        }
        if (type.equals("nagios") && f.get(NAGIOS_STATUS) instanceof String s && f.get("check_time") instanceof Number
                && ((Number) f.get("check_time")).longValue() > 0) {
            return s.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /** The run's duration in seconds, or -1 when the event has none. */
    private static double seconds(Map<String, Object> f) {
        if (f.get(RUN_NANOS) instanceof Number n) {
            return n.doubleValue() / 1e9;
        }
        if (f.get(NAGIOS_RUNTIME) instanceof Number n) {
            return n.doubleValue();
        }
        return -1;
    }
}
