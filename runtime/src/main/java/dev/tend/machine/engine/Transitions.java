package dev.tend.machine.engine;

import dev.tend.machine.InvalidTransitionException;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.event.TransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A machine's current state and the one place it changes. Transitions are applied one at a time under a short lock that
 * nothing outside the machine ever runs under. Fired events (watchers, subscriptions) queue in order and are applied by a
 * task on the scheduler, after loop protection's delay when there is one, which is a scheduled task, never a sleep;
 * operators' transitions are applied at once. What follows a real transition goes to {@code afterTransition}, in order,
 * outside the lock.
 */
final class Transitions {

    private static final Logger LOG = LoggerFactory.getLogger(Transitions.class);

    private final String machine;
    private final TransitionTable table;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final TransitionEventFactory events;
    private final Consumer<TransitionEvent> afterTransition;
    private final Outbox outbox = new Outbox();

    private final Object lock = new Object();
    /** Written under {@link #lock} only; read without it (watchers ask for it often). */
    private volatile String state;
    private final LoopProtection loopProtection;
    private final ArrayDeque<String> fired = new ArrayDeque<>();
    /** The scheduled task that applies {@link #fired}, or null when none is queued. */
    private Future<?> applier;
    /** The head of {@link #fired} has served its loop protection delay. */
    private boolean headDelayed;
    private boolean closed;

    /** Makes the transition events of this machine (identity, instance id, version, time). */
    interface TransitionEventFactory {
        TransitionEvent create(Instant time, String transition, String from, String to);
    }

    Transitions(MachineDefinition definition, ScheduledExecutorService scheduler, Clock clock, RandomGenerator random,
                TransitionEventFactory events, Consumer<TransitionEvent> afterTransition) {
        this.machine = definition.name();
        this.table = new TransitionTable(definition);
        this.scheduler = scheduler;
        this.clock = clock;
        this.events = events;
        this.afterTransition = afterTransition;
        this.loopProtection = new LoopProtection(random);
        this.state = definition.initialState(); // entering the initial state is not a transition
    }

    String state() {
        return state;
    }

    /** Events valid in {@code inState} (pass the state already read, so a status is consistent). */
    List<String> availableTransitions(String inState) {
        return table.validEvents(inState);
    }

    /** Queues {@code event}; returns at once. Ignored after {@link #close()}. */
    void fire(String event) {
        synchronized (lock) {
            if (closed) {
                LOG.debug("machine \"{}\" is stopped: ignoring event \"{}\"", machine, event);
                return;
            }
            fired.addLast(event);
            if (applier == null) {
                applier = schedule(Duration.ZERO);
            }
        }
    }

    /** Applies {@code event} now, bypassing loop protection's delay (it still counts), and returns the new state. */
    String transitionNow(String event) throws InvalidTransitionException {
        String now;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("machine \"" + machine + "\" is stopped");
            }
            Optional<String> destination = table.destination(event, state);
            if (destination.isEmpty()) {
                throw new InvalidTransitionException(table.invalidMessage(machine, event, state));
            }
            apply(event, destination.get());
            now = state;
        }
        outbox.flush();
        return now;
    }

    /** No more transitions: queued events are dropped and a pending delay is cancelled. Idempotent. */
    void close() {
        synchronized (lock) {
            closed = true;
            fired.clear();
            if (applier != null) {
                applier.cancel(false);
                applier = null;
            }
        }
    }

    /** Transitions counted beyond loop protection's burst (tests). */
    int beyondBurst() {
        synchronized (lock) {
            return loopProtection.beyondBurst();
        }
    }

    /** The scheduled task: applies queued events until the queue is empty or one has to wait. */
    private void applyFired() {
        while (true) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                String event = fired.peekFirst();
                if (event == null) {
                    applier = null;
                    return;
                }
                Optional<String> destination = table.destination(event, state);
                if (destination.isEmpty()) {
                    fired.removeFirst();
                    headDelayed = false;
                    LOG.debug("machine \"{}\": ignoring event \"{}\", not valid in state \"{}\"", machine, event, state);
                    continue;
                }
                if (!headDelayed) {
                    Duration delay = loopProtection.delayBeforeNext(clock.instant());
                    if (!delay.isZero()) {
                        headDelayed = true;
                        logDelay(event, delay);
                        applier = schedule(delay);
                        return;
                    }
                }
                fired.removeFirst();
                headDelayed = false;
                apply(event, destination.get());
            }
            outbox.flush();
        }
    }

    /** Under {@link #lock}: counts the transition and, unless it is a self transition, changes the state. */
    private void apply(String event, String destination) {
        Instant now = clock.instant();
        loopProtection.record(now);
        String from = state;
        if (destination.equals(from)) {
            LOG.debug("machine \"{}\": event \"{}\" keeps it in state \"{}\"", machine, event, from);
            return;
        }
        state = destination;
        TransitionEvent transition = events.create(now, event, from, destination);
        LOG.debug("machine \"{}\": {} -> {} via \"{}\"", machine, from, destination, event);
        outbox.add(() -> afterTransition.accept(transition));
    }

    private Future<?> schedule(Duration delay) {
        try {
            return scheduler.schedule(this::applyFired, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The scheduler is shut down: the runtime is stopping, the queued events no longer matter.
            LOG.debug("machine \"{}\": scheduler refused work, dropping {} queued events", machine, fired.size());
            fired.clear();
            return null;
        }
    }

    private void logDelay(String event, Duration delay) {
        if (loopProtection.beyondBurst() == 0) {
            LOG.info("machine \"{}\" made more than {} transitions in {}s: delaying further transitions (loop "
                    + "protection) until it has been quiet for a minute", machine, LoopProtection.BURST,
                    LoopProtection.BURST_WINDOW.toSeconds());
        }
        LOG.debug("machine \"{}\": event \"{}\" waits {} ms (loop protection)", machine, event, delay.toMillis());
    }
}
