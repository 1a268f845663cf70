package dev.tend.machine.engine;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.WatcherStatus;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates, starts, pokes, announces and stops a machine's watchers. Start waits a random whole number of seconds in
 * [0, splay_start) on the scheduler, creates every watcher, then starts each; when a watcher cannot be created or started
 * the ones started are stopped and the machine stays not started, so {@link #start()} may try again. Stop is final.
 */
final class WatcherLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WatcherLifecycle.class);

    /** How long {@link #stop} waits for the watchers' stop calls before it gives up on one stuck in a call. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** How long a status waits for a watcher busy in another call to tell its state. */
    static final Duration STATE_WAIT = Duration.ofSeconds(5);

    private enum Phase { IDLE, STARTING, RUNNING, STOPPED }

    private final MachineDefinition definition;
    private final MachineEnvironment environment;
    private final List<EngineWatcherContext> contexts;

    private final Object lock = new Object();
    private Phase phase = Phase.IDLE;
    /** Identifies the current start attempt, so late callbacks of an abandoned attempt change nothing. */
    private Object attempt;
    private Future<?> pendingStart;
    private List<WatcherHandle> handles = List.of();
    private int startsPending;
    private Instant startTime;

    /** @param contexts one per watcher definition, in file order */
    WatcherLifecycle(MachineDefinition definition, MachineEnvironment environment, List<EngineWatcherContext> contexts) {
        this.definition = definition;
        this.environment = environment;
        this.contexts = List.copyOf(contexts);
    }

    void start() {
        synchronized (lock) {
            if (phase == Phase.STOPPED) {
                LOG.debug("machine \"{}\" is stopped: not starting it again", definition.name());
                return;
            }
            if (phase != Phase.IDLE) {
                return;
            }
            long splay = splaySeconds();
            Object thisAttempt = new Object();
            try {
                pendingStart = environment.scheduler().schedule(() -> createAndStart(thisAttempt), splay, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                LOG.warn("machine \"{}\" not started: the scheduler is shut down", definition.name());
                return;
            }
            phase = Phase.STARTING;
            attempt = thisAttempt;
            if (splay > 0) {
                LOG.debug("machine \"{}\": starting its watchers in {}s (splay)", definition.name(), splay);
            }
        }
    }

    /** Stops the watchers and a pending start; returns when their calls returned (or {@link #STOP_WAIT} passed). */
    void stop(boolean delete) {
        List<WatcherHandle> toStop;
        synchronized (lock) {
            if (phase == Phase.STOPPED && !delete) {
                return;
            }
            phase = Phase.STOPPED;
            attempt = null;
            if (pendingStart != null) {
                pendingStart.cancel(false);
                pendingStart = null;
            }
            toStop = handles;
        }
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        toStop.forEach(h -> stopped.add(h.stop(delete)));
        awaitStopped(toStop, stopped);
    }

    /** Signals every started watcher that the state changed. */
    void pokeAll() {
        List<WatcherHandle> current;
        synchronized (lock) {
            if (phase == Phase.STOPPED) {
                return;
            }
            current = handles;
        }
        current.forEach(WatcherHandle::poke);
    }

    /** Signals every started watcher that the machine's data changed. */
    void dataPokeAll() {
        List<WatcherHandle> current;
        synchronized (lock) {
            if (phase == Phase.STOPPED) {
                return;
            }
            current = handles;
        }
        current.forEach(WatcherHandle::dataPoke);
    }

    /** When every watcher had started, or null. */
    Instant startTime() {
        synchronized (lock) {
            return startTime;
        }
    }

    /**
     * Every watcher in file order: active now, its own state when it has been created, and its latest run. The watchers are asked
     * together; one busy in another call for longer than {@link #STATE_WAIT} is shown without its state.
     */
    List<WatcherStatus> status() {
        List<WatcherHandle> current;
        synchronized (lock) {
            current = handles;
        }
        Map<String, CompletableFuture<Map<String, Object>>> asked = new HashMap<>();
        current.forEach(h -> asked.put(h.definition().name(), h.currentState()));
        long deadline = System.nanoTime() + STATE_WAIT.toNanos();
        List<WatcherStatus> statuses = new ArrayList<>();
        for (EngineWatcherContext context : contexts) {
            WatcherDefinition d = context.definition();
            CompletableFuture<Map<String, Object>> answer = asked.get(d.name());
            Map<String, Object> state = answer == null ? Map.of() : answerBy(answer, deadline, d);
            statuses.add(new WatcherStatus(d.name(), d.type(), context.isActive(), state, context.lastRun(),
                    context.next()));
        }
        return statuses;
    }

    private Map<String, Object> answerBy(CompletableFuture<Map<String, Object>> answer, long deadline,
                                         WatcherDefinition d) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.debug("machine \"{}\" watcher \"{}\" is busy: status without its state", definition.name(), d.name());
        } catch (ExecutionException e) {
            LOG.debug("machine \"{}\" watcher \"{}\": no state: {}", definition.name(), d.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of();
    }

    /** After the splay, on the scheduler. Factories are called outside the lock: they are plugin code. */
    private void createAndStart(Object thisAttempt) {
        synchronized (lock) {
            if (attempt != thisAttempt) {
                return;
            }
        }
        List<WatcherHandle> created = new ArrayList<>();
        for (EngineWatcherContext context : contexts) {
            WatcherDefinition d = context.definition();
            try {
                WatcherFactory factory = environment.watchers().factory(d.type()).orElseThrow(
                        () -> new IllegalStateException("no watcher type \"" + d.type() + "\" is installed"));
                Watcher watcher = factory.create(context);
                if (watcher == null) {
                    throw new IllegalStateException("the " + d.type() + " watcher factory returned no watcher");
                }
                created.add(new WatcherHandle(definition.name(), d, watcher, context.lane()));
            } catch (RuntimeException | LinkageError e) {
                LOG.error("machine \"{}\" not started: cannot create watcher \"{}\" ({}): {}", definition.name(),
                        d.name(), d.type(), describe(e));
                LOG.debug("machine \"{}\" watcher \"{}\" creation failure", definition.name(), d.name(), e);
                abandon(thisAttempt); // nothing was started yet
                return;
            }
        }
        synchronized (lock) {
            if (attempt != thisAttempt) {
                return; // stopped meanwhile: these watchers were never started
            }
            pendingStart = null;
            handles = List.copyOf(created);
            startsPending = created.size();
            if (startsPending == 0) {
                running();
            }
        }
        // A stop that slips in here queues its calls before these; a stopped handle skips its start.
        for (WatcherHandle h : created) {
            h.start(() -> started(thisAttempt), e -> startFailed(thisAttempt, h, e));
        }
    }

    private void started(Object thisAttempt) {
        synchronized (lock) {
            if (attempt == thisAttempt && phase == Phase.STARTING && --startsPending == 0) {
                running();
            }
        }
    }

    private void startFailed(Object thisAttempt, WatcherHandle failed, RuntimeException e) {
        WatcherDefinition d = failed.definition();
        LOG.error("machine \"{}\" not started: watcher \"{}\" ({}) failed to start: {}", definition.name(), d.name(),
                d.type(), describe(e));
        LOG.debug("machine \"{}\" watcher \"{}\" start failure", definition.name(), d.name(), e);
        List<WatcherHandle> toStop = abandon(thisAttempt);
        toStop.forEach(h -> h.stop(false)); // not awaited: this runs inside the failed watcher's call
    }

    /** Back to not started; returns the watchers of the attempt, to be stopped. */
    private List<WatcherHandle> abandon(Object thisAttempt) {
        synchronized (lock) {
            if (attempt != thisAttempt) {
                return List.of();
            }
            List<WatcherHandle> toStop = handles;
            phase = Phase.IDLE;
            attempt = null;
            pendingStart = null;
            handles = List.of();
            return toStop;
        }
    }

    /** Under {@link #lock}: every watcher started. */
    private void running() {
        phase = Phase.RUNNING;
        startTime = environment.clock().instant();
        for (WatcherHandle h : handles) {
            Duration interval = h.definition().announceInterval();
            if (interval.compareTo(Duration.ZERO) > 0) {
                h.announceEvery(interval, contextOf(h.definition())::publishState);
            }
        }
        LOG.debug("machine \"{}\": {} watchers started", definition.name(), handles.size());
    }

    private EngineWatcherContext contextOf(WatcherDefinition d) {
        for (EngineWatcherContext c : contexts) {
            if (c.definition() == d) {
                return c;
            }
        }
        throw new IllegalStateException("no context for watcher " + d.name());
    }

    private long splaySeconds() {
        Duration splay = definition.splayStart();
        if (splay == null || splay.compareTo(Duration.ZERO) <= 0) {
            return 0;
        }
        long bound = splay.getSeconds() + (splay.getNano() > 0 ? 1 : 0); // whole seconds in [0, splay)
        return bound == 1 ? 0 : new SharedRandom(environment.random()).nextLong(bound);
    }

    private void awaitStopped(List<WatcherHandle> handles, List<CompletableFuture<Void>> stopped) {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (int i = 0; i < stopped.size(); i++) {
            try {
                stopped.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("machine \"{}\": watcher \"{}\" did not stop within {}s; leaving it", definition.name(),
                        handles.get(i).definition().name(), STOP_WAIT.toSeconds());
            } catch (ExecutionException e) {
                // the stop call's own failure was logged where it happened
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}
