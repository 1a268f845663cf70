package dev.tend.machine.engine;

import dev.tend.kv.KvStore;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.spi.AgentHealth;
import dev.tend.machine.spi.ForeignState;
import dev.tend.machine.spi.MachineData;
import dev.tend.machine.spi.Templates;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherNext;
import dev.tend.machine.spi.WatcherRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What one watcher of one machine sees of it: state, activity, firing, events, data, templates, and its lane. */
final class EngineWatcherContext implements WatcherContext {

    private final WatcherDefinition definition;
    private final MachineDefinition machine;
    private final String instanceId;
    private final MachineEnvironment environment;
    private final Transitions transitions;
    private final MachineResources resources;
    private final EventPublisher events;
    private final EngineWatcherLane lane;
    private volatile Logger logger;
    private volatile WatcherRun lastRun;
    private volatile WatcherNext next;

    EngineWatcherContext(WatcherDefinition definition, MachineDefinition machine, String instanceId,
                         MachineEnvironment environment, Transitions transitions, MachineResources resources,
                         EventPublisher events) {
        this.definition = definition;
        this.machine = machine;
        this.instanceId = instanceId;
        this.environment = environment;
        this.transitions = transitions;
        this.resources = resources;
        this.events = events;
        // Lane tasks never wait (the SPI's contract), so lanes share a few threads; what waits goes to the blocking
        // executor (work that ends soon) or the wait executor (as long as it takes).
        this.lane = new EngineWatcherLane(environment.laneExecutor(), environment.scheduler(),
                environment.blockingExecutor(), environment.waitExecutor(),
                "machine \"" + machine.name() + "\" watcher \"" + definition.name() + "\"");
    }

    @Override
    public WatcherDefinition definition() {
        return definition;
    }

    @Override
    public String machineName() {
        return machine.name();
    }

    @Override
    public String machineVersion() {
        return machine.version();
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public Path machineDirectory() {
        return machine.directory();
    }

    @Override
    public String identity() {
        return environment.identity();
    }

    @Override
    public String currentState() {
        return transitions.state();
    }

    @Override
    public boolean isActive() {
        if (!definition.stateMatch().isEmpty() && !definition.stateMatch().contains(transitions.state())) {
            return false;
        }
        for (ForeignState required : definition.foreignStateRequired()) {
            Optional<String> state = environment.host().stateOf(required.machineName());
            if (state.isEmpty() || !state.get().equals(required.state())) {
                return false; // a machine that is not loaded does not satisfy the requirement
            }
        }
        return true;
    }

    @Override
    public void fireSuccess() {
        fireIfSet(definition.successTransition());
    }

    @Override
    public void fireFail() {
        fireIfSet(definition.failTransition());
    }

    @Override
    public void fire(String transition) {
        transitions.fire(transition);
    }

    @Override
    public void publishState(Map<String, Object> fields) {
        events.publish(new WatcherStateEvent(environment.identity(), machine.name(), instanceId, machine.version(),
                environment.clock().instant(), definition.type(), definition.name(), fields));
    }

    @Override
    public MachineData data() {
        return resources.data();
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = environment.facts().get();
        return facts == null ? Map.of() : facts;
    }

    @Override
    public Templates templates() {
        return resources.templates();
    }

    @Override
    public KvStore store() {
        return environment.store().get();
    }

    @Override
    public EngineWatcherLane lane() {
        return lane;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return environment.scheduler();
    }

    @Override
    public Executor blockingExecutor() {
        return environment.waitExecutor(); // unbounded: what plugins gave it before lanes may wait as long as it takes
    }

    @Override
    public Clock clock() {
        return environment.clock();
    }

    @Override
    public Optional<Path> textfileDirectory() {
        return environment.textfileDirectory();
    }

    @Override
    public Optional<Path> overridesFile() {
        return environment.overridesFile();
    }

    @Override
    public Optional<String> machineSigningKey() {
        return environment.machineSigningKey();
    }

    @Override
    public boolean noop() {
        return environment.noop();
    }

    @Override
    public Optional<AgentHealth> agentHealth() {
        return environment.host().health();
    }

    @Override
    public void recordRun(WatcherRun run) {
        lastRun = run;
    }

    /** The run {@link #recordRun} was last given, or null. */
    WatcherRun lastRun() {
        return lastRun;
    }

    @Override
    public void recordNext(WatcherNext next) {
        this.next = next;
    }

    /** What {@link #recordNext} was last given, or null. */
    WatcherNext next() {
        return next;
    }

    @Override
    public Logger logger() {
        Logger l = logger;
        if (l == null) { // created on first use: most watchers of most machines never log
            l = new WatcherLogger(LoggerFactory.getLogger("dev.tend.machine." + machine.name() + "."
                    + definition.name()), machine.name(), definition.name());
            logger = l;
        }
        return l;
    }

    private void fireIfSet(String transition) {
        if (!transition.isEmpty()) {
            transitions.fire(transition);
        }
    }
}
