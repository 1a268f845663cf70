package dev.tend.watchers.metric;

import dev.tend.machine.spi.MachineDataException;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherRun;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.watchers.process.ChildSlot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the command every {@code interval} (the first time after a random delay below one interval) and after each
 * state change, while the watcher is active; a run never overlaps another (a tick during one is skipped, a state change
 * during one runs once more after it). A result is written to the textfile, sent to Graphite, stored in the machine
 * data key {@code metric} (with {@code store}) and published as a state event; {@code success_transition} is never
 * fired. Output in Choria's format that cannot be read publishes the state event and fires {@code fail_transition}. A
 * command that cannot run, fails or times out is only logged, as in the reference. In noop mode the command is only
 * logged ({@code noop: would run ...}): the run is recorded as {@code noop} and nothing else happens.
 *
 * <p>Everything here runs on the watcher's lane, so its fields need no lock. A run is waiting work ({@code runWaiting})
 * whose result comes back to the lane.
 */
final class MetricWatcher implements Watcher {

    /** The machine data key the reference stores results under. */
    static final String DATA_KEY = "metric";

    private final WatcherContext context;
    private final MetricProperties properties;
    private final MetricSettings settings;
    private final MetricsFile metricsFile;
    private final ChildSlot slot = new ChildSlot();

    private boolean stopped;
    private boolean running;
    private boolean pokeWaiting;
    private WatcherLane.Scheduled tick;
    private Metric last = Metric.NONE;
    private long runtimeNanos;

    MetricWatcher(WatcherContext context, MetricProperties properties, MetricSettings settings, MetricsFile metricsFile) {
        this.context = context;
        this.properties = properties;
        this.settings = settings;
        this.metricsFile = metricsFile;
    }

    @Override
    public void start() {
        if (!properties.skipPrometheus()) {
            metricsFile.touch();
        }
        Duration interval = properties.interval();
        Duration first = Duration.ofMillis(settings.randomBelow().applyAsLong(interval.toMillis()));
        tick = context.lane().schedule(first, () -> {
            tick = context.lane().every(interval, () -> gather(false));
            gather(false);
        });
    }

    @Override
    public void stateChanged() {
        gather(true);
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        if (!properties.skipPrometheus()) {
            metricsFile.remove(context.machineName(), context.definition().name());
        }
        context.lane().runWaiting(() -> slot.stop(settings.command().stopGrace()), (left, failure) -> {
            if (failure instanceof RejectedExecutionException) {
                slot.stop(Duration.ZERO); // the agent is shutting down: end it here, without a grace
            } else if (left != null && !left.isEmpty()) {
                context.logger().warn("processes {} of the metric command survived SIGKILL", left);
            }
        });
    }

    @Override
    public Map<String, Object> currentState() {
        return Map.of("metrics", last.toMap(runtimeNanos / 1e9));
    }

    /** A tick, or a state change ({@code poke}). */
    private void gather(boolean poke) {
        if (stopped) {
            return;
        }
        if (running) {
            pokeWaiting |= poke; // the state changed during the run: run once more after it
            return;
        }
        if (!context.isActive()) {
            return;
        }
        running = true;
        MetricRun run = new MetricRun(properties, context, settings, slot);
        context.lane().runWaiting(run::run, this::gathered);
    }

    /** A run ended (on the lane). */
    private void gathered(MetricRun.Result result, Throwable failure) {
        running = false;
        if (failure instanceof RejectedExecutionException) {
            context.logger().debug("not gathering: the agent is shutting down");
            return;
        }
        if (stopped) {
            return;
        }
        if (failure != null) {
            context.logger().warn("the metric command failed unexpectedly: {}", failure.toString(), failure);
        } else {
            report(result);
        }
        if (pokeWaiting) {
            pokeWaiting = false;
            gather(true);
        }
    }

    private void report(MetricRun.Result result) {
        if (result.kind() != MetricRun.Kind.STOPPED) {
            Duration took = Duration.ofNanos(Math.max(0, result.runtimeNanos()));
            context.recordRun(new WatcherRun(result.kind().name().toLowerCase(java.util.Locale.ROOT), null,
                    context.clock().instant().minus(took), took, result.problem()));
        }
        switch (result.kind()) {
            case STOPPED -> {
                // a stop cut the run short: nothing to report to a machine going away
            }
            case NOOP -> {
                // noop mode: the command was logged, not run; no metrics, so nothing to publish, store or write
            }
            case FAILED -> {
                runtimeNanos = result.runtimeNanos();
                context.logger().error("metric command {} failed: {}", result.command(), result.problem());
            }
            case BAD_OUTPUT -> {
                runtimeNanos = result.runtimeNanos();
                context.logger().error("cannot read the output of metric command {}: {}", result.command(),
                        result.problem());
                context.publishState(currentState());
                context.fireFail();
            }
            case GATHERED -> {
                runtimeNanos = result.runtimeNanos();
                record(result.metric(), result.command(), result.problem());
            }
        }
    }

    /** A result: the textfile, the data, the state event (Graphite had it, or {@code graphiteProblem} says why not). */
    private void record(Metric metric, String command, String graphiteProblem) {
        last = metric;
        if (context.logger().isDebugEnabled()) {
            context.logger().debug("{}: {}", command, metric.metrics());
        }
        if (!properties.skipPrometheus()) {
            metricsFile.update(context.machineName(), context.definition().name(), metric);
        }
        if (!graphiteProblem.isEmpty()) {
            context.logger().warn("metrics not sent: {}", graphiteProblem);
        }
        if (properties.store()) {
            try {
                context.data().put(DATA_KEY, Map.of(context.definition().name(), metric.toMap()));
            } catch (MachineDataException | IllegalArgumentException e) {
                context.logger().warn("cannot store the metrics in the machine data: {}", e.getMessage());
            }
        }
        context.publishState(currentState());
    }
}
