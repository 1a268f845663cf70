package dev.tend.machine.engine;

import dev.tend.machine.InvalidTransitionException;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.units.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A machine's current state and the one place it changes. Transitions are applied one at a time under a short lock that
 * nothing outside the machine ever runs under. Fired events (watchers, subscriptions) queue in order and are applied on
 * the machine's fired-events lane, on the scheduler, after loop protection's delay when there is one (a timer, never a
 * sleep); operators' transitions are applied at once. What follows a real transition goes to {@code afterTransition} on
 * a second lane, in transition order and outside the lock.
 */
final class Transitions {

    private static final Logger LOG = LoggerFactory.getLogger(Transitions.class);

    private final String machine;
    private final TransitionTable table;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final TransitionEventFactory events;
    private final Consumer<TransitionEvent> afterTransition;
    /** Applies {@link #fired}. */
    private final SerialLane firedLane;
    /**
     * Runs what follows each transition on the thread that made it, or, when another thread is already doing that, on
     * that thread: so the caller of {@link #transitionNow} normally sees its effects when it returns, and yet a watcher
     * that makes a transition from inside a poke does not wait for itself.
     */
    private final SerialLane afterLane;
    /**
     * Real transitions in the order they were made, for {@link #afterLane}: queued under the lock and taken from here by
     * the lane's tasks, so they are announced in the transitions' order whichever thread gets to the lane first.
     */
    private final Queue<TransitionEvent> made = new ConcurrentLinkedQueue<>();

    private final Object lock = new Object();
    /** Written under {@link #lock} only; read without it (watchers ask for it often). */
    private volatile String state;
    /** When {@link #state} was entered; written with it, under {@link #lock}. */
    private volatile Instant stateSince;
    private final LoopProtection loopProtection;
    /**
     * Fired events not yet applied. They wait here rather than as tasks on {@link #firedLane} because the head may have
     * to wait out loop protection's delay, and the lane must stay free meanwhile.
     */
    private final ArrayDeque<String> fired = new ArrayDeque<>();
    /** The head of {@link #fired} is waiting out its loop protection delay on this timer; null otherwise. */
    private WatcherLane.Scheduled delay;
    /** The head of {@link #fired} has served its loop protection delay. */
    private boolean headDelayed;
    private boolean closed;

    /** Makes the transition events of this machine (identity, instance id, version, time). */
    interface TransitionEventFactory {
        TransitionEvent create(Instant time, String transition, String from, String to);
    }

    Transitions(MachineDefinition definition, ScheduledExecutorService scheduler, Clock clock, RandomGenerator random,
                TransitionEventFactory events, Consumer<TransitionEvent> afterTransition) {
        this(definition, scheduler, clock, random, events, afterTransition, definition.initialState(), clock.instant());
    }

    /**
     * Transitions that start in {@code startState}, entered at {@code since} (a machine that resumes its saved state);
     * starting there is not a transition.
     */
    Transitions(MachineDefinition definition, ScheduledExecutorService scheduler, Clock clock, RandomGenerator random,
                TransitionEventFactory events, Consumer<TransitionEvent> afterTransition, String startState,
                Instant since) {
        this.machine = definition.name();
        this.table = new TransitionTable(definition);
        this.scheduler = scheduler;
        this.clock = clock;
        this.events = events;
        this.afterTransition = afterTransition;
        this.loopProtection = new LoopProtection(random);
        this.firedLane = new SerialLane(scheduler, "machine \"" + machine + "\" fired events");
        this.afterLane = new SerialLane(Runnable::run, "machine \"" + machine + "\" after transitions");
        this.state = startState; // entering the initial (or resumed) state is not a transition
        this.stateSince = since;
    }

    String state() {
        return state;
    }

    /** When the machine entered its current state (when it was made, for the initial state). */
    Instant stateSince() {
        return stateSince;
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
        }
        firedLane.execute(this::applyFired);
    }

    /** Applies {@code event} now, bypassing loop protection's delay (it still counts), and returns the new state. */
    String transitionNow(String event) throws InvalidTransitionException {
        String now;
        boolean changed;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("machine \"" + machine + "\" is stopped");
            }
            Optional<String> destination = table.destination(event, state);
            if (destination.isEmpty()) {
                throw new InvalidTransitionException(table.invalidMessage(machine, event, state));
            }
            changed = apply(event, destination.get());
            now = state;
        }
        if (changed) {
            afterLane.execute(this::announcePending);
        }
        return now;
    }

    /** No more transitions: queued events are dropped and a pending delay is cancelled. Idempotent. */
    void close() {
        synchronized (lock) {
            closed = true;
            fired.clear();
            if (delay != null) {
                delay.cancel();
                delay = null;
            }
        }
    }

    /** Transitions counted beyond loop protection's burst (tests). */
    int beyondBurst() {
        synchronized (lock) {
            return loopProtection.beyondBurst();
        }
    }

    /** On {@link #firedLane}: applies queued events until none is left or the next one has to wait. */
    private void applyFired() {
        while (true) {
            boolean changed;
            synchronized (lock) {
                if (closed || delay != null) {
                    return; // stopped, or the head waits: its timer calls again
                }
                String event = fired.peekFirst();
                if (event == null) {
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
                    Duration wait = loopProtection.delayBeforeNext(clock.instant());
                    if (!wait.isZero()) {
                        headDelayed = true;
                        logDelay(event, wait);
                        delay = LaneTimer.once(firedLane, scheduler, wait, this::delayServed);
                        return;
                    }
                }
                fired.removeFirst();
                headDelayed = false;
                changed = apply(event, destination.get());
            }
            if (changed) {
                afterLane.execute(this::announcePending);
            }
        }
    }

    /** On {@link #firedLane}: the head's loop protection delay has passed. */
    private void delayServed() {
        synchronized (lock) {
            delay = null;
        }
        applyFired();
    }

    /**
     * On {@link #afterLane}: hands every transition not yet announced to {@code afterTransition}, oldest first. Each
     * transition queues one of these; the later ones usually find nothing left.
     */
    private void announcePending() {
        TransitionEvent transition;
        while ((transition = made.poll()) != null) {
            afterTransition.accept(transition);
        }
    }

    /**
     * Under {@link #lock}: counts the transition and, unless it is a self transition, changes the state and queues the
     * transition for {@link #announcePending}.
     *
     * @return whether the state changed
     */
    private boolean apply(String event, String destination) {
        Instant now = clock.instant();
        loopProtection.record(now);
        String from = state;
        if (destination.equals(from)) {
            LOG.debug("machine \"{}\": event \"{}\" keeps it in state \"{}\"", machine, event, from);
            return false;
        }
        state = destination;
        stateSince = now;
        made.add(events.create(now, event, from, destination));
        LOG.debug("machine \"{}\": {} -> {} via \"{}\"", machine, from, destination, event);
        return true;
    }

    private void logDelay(String event, Duration delay) {
        if (loopProtection.beyondBurst() == 0) {
            LOG.info("machine \"{}\" made more than {} transitions in {}s: delaying further transitions (loop "
                    + "protection) until it has been quiet for a minute", machine, LoopProtection.BURST,
                    LoopProtection.BURST_WINDOW.toSeconds());
        }
        LOG.debug("machine \"{}\": event \"{}\" waits {} (loop protection)", machine, event,
                Durations.format(delay.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    }
}
