package dev.tend.machine.engine;

import dev.tend.machine.InvalidTransitionException;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.spi.WatcherDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A machine: its {@link Transitions} (state, loop protection) and its {@link WatcherLifecycle}, joined by what follows a
 * real transition: poke every watcher, publish the event, tell the host (for subscriptions), in that order.
 */
final class EngineMachine implements Machine {

    private static final Logger LOG = LoggerFactory.getLogger(EngineMachine.class);
    /**
     * The transition named in the event of a machine that resumed its saved state: from its initial state to the one
     * it resumed.
     */
    static final String RESUME_EVENT = "resume_state";

    private final MachineDefinition definition;
    private final MachineEnvironment environment;
    private final String instanceId = UUID.randomUUID().toString();
    private final EventPublisher events;
    private final Transitions transitions;
    private final WatcherLifecycle watchers;
    private final MachineResources resources;
    /** The saved state, when the machine resumes its state (its file or the agent asks); else {@code null}. */
    private final StateKeeper keeper;
    /** The first {@link #start()} saved the state it starts in (and announced a resumed one). */
    private final AtomicBoolean startSaved = new AtomicBoolean();

    EngineMachine(MachineDefinition definition, MachineEnvironment environment) {
        this.definition = definition;
        this.environment = environment;
        this.events = new EventPublisher(environment.events());
        this.keeper = definition.resumeState() || environment.resumeState()
                ? StateKeeper.open(definition, MachineResources.dataFile(environment.stateDirectory(), definition.name()),
                environment.clock(), !environment.noop())
                : null;
        Transitions.TransitionEventFactory eventFactory = (time, transition, from, to) -> new TransitionEvent(
                environment.identity(), definition.name(), instanceId, definition.version(), time, transition, from, to);
        this.transitions = keeper == null
                ? new Transitions(definition, environment.scheduler(), environment.clock(),
                        new SharedRandom(environment.random()), eventFactory, this::afterTransition)
                : new Transitions(definition, environment.scheduler(), environment.clock(),
                        new SharedRandom(environment.random()), eventFactory, this::afterTransition,
                        keeper.startState(), keeper.startSince());
        this.resources = new MachineResources(definition.name(), environment.stateDirectory(),
                definition.directory(), environment.facts(), environment.overrides(), environment.noop(),
                this::dataChanged, keeper);
        if (keeper != null) {
            resources.data(); // the saved data comes with the saved state: opened now, so that both are written together
        }
        List<EngineWatcherContext> contexts = new ArrayList<>();
        for (WatcherDefinition w : definition.watchers()) {
            contexts.add(new EngineWatcherContext(w, definition, instanceId, environment, transitions, resources, events));
        }
        this.watchers = new WatcherLifecycle(definition, environment, contexts);
    }

    @Override
    public MachineDefinition definition() {
        return definition;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public String state() {
        return transitions.state();
    }

    @Override
    public MachineStatus status() {
        String state = transitions.state();
        return new MachineStatus(definition.name(), definition.version(), state, definition.directory().toString(),
                instanceId, watchers.startTime(), transitions.availableTransitions(state), watchers.status(),
                definition.warnings(), transitions.stateSince(), data(), keeper == null ? null : keeper.outcome());
    }

    /** The machine's data once a watcher opened it, or none when it cannot be read (the status must still answer). */
    private Map<String, Object> data() {
        try {
            return resources.dataIfOpen();
        } catch (RuntimeException e) {
            LOG.debug("machine \"{}\": no data for its status: {}", definition.name(), e.toString());
            return Map.of();
        }
    }

    @Override
    public void start() {
        if (keeper != null && startSaved.compareAndSet(false, true)) {
            keeper.started(transitions.state(), transitions.stateSince());
            if (keeper.outcome() != null && keeper.outcome().resumed()) {
                // Not a transition of the definition: told to the events' sinks only, never to subscribers.
                events.publish(new TransitionEvent(environment.identity(), definition.name(), instanceId,
                        definition.version(), environment.clock().instant(), RESUME_EVENT, definition.initialState(),
                        keeper.startState()));
            }
        }
        watchers.start();
    }

    @Override
    public void stop() {
        transitions.close();
        watchers.stop(false);
    }

    @Override
    public void delete() {
        transitions.close();
        if (keeper != null) {
            keeper.forget();
        }
        watchers.stop(true);
    }

    @Override
    public String transition(String event) throws InvalidTransitionException {
        return transitions.transitionNow(event);
    }

    @Override
    public void fire(String event) {
        transitions.fire(event);
    }

    /** Transitions beyond loop protection's burst since the last quiet minute (tests). */
    int transitionsBeyondBurst() {
        return transitions.beyondBurst();
    }

    /** After a put or delete of the machine's data, on the thread that made it. */
    private void dataChanged() {
        WatcherLifecycle w = watchers;
        if (w != null) {
            w.dataPokeAll();
        }
    }

    /** In transition order, outside the machine's lock. */
    private void afterTransition(TransitionEvent event) {
        if (keeper != null) {
            keeper.entered(event.toState(), event.time());
        }
        watchers.pokeAll();
        events.publish(event);
        try {
            environment.host().transitioned(event);
        } catch (RuntimeException e) {
            LOG.warn("machine \"{}\": the host failed to take transition \"{}\": {}", definition.name(),
                    event.transition(), e.toString(), e);
        }
    }

    @Override
    public String toString() {
        return "machine \"" + definition.name() + "\" " + definition.version() + " in state " + transitions.state();
    }
}
