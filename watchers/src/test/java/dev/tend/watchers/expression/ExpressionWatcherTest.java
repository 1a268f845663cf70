package dev.tend.watchers.expression;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.FixedRandom;
import dev.tend.machine.testing.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The expression watcher on a real machine, with time driven by hand and facts changed between evaluations. */
class ExpressionWatcherTest {

    /** A thermostat: heat when it gets warm, chill when it gets cold; paused, the watcher is inactive. */
    private static final String MACHINE = """
            name: thermo
            version: 1.0.0
            initial_state: cool
            transitions:
              - {name: heat, from: [cool], destination: hot}
              - {name: chill, from: [hot], destination: cool}
              - {name: pause, from: [cool, hot], destination: paused}
              - {name: resume, from: [paused], destination: cool}
            watchers:
              - name: temp
                type: expression
                state_match: [cool, hot]
                success_transition: heat
                fail_transition: chill
                %s
                properties:
                  %s
            """;
    private static final String THRESHOLDS = "success_when: facts.temp > 20\n      fail_when: facts.temp < 15";

    @TempDir
    Path dir;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final EventRecorder events = new EventRecorder();
    private final AtomicReference<Map<String, Object>> facts = new AtomicReference<>(Map.of());
    private final List<Machine> machines = new ArrayList<>();

    @AfterEach
    void stopMachines() {
        machines.forEach(Machine::stop);
    }

    private Machine start(String common, String properties) throws Exception {
        WatcherRegistry registry = WatcherRegistry.of(List.of(new ExpressionWatcherFactory()));
        MachineDefinition definition = load(MACHINE.formatted(common, properties), registry);
        Machine machine = Machines.create(definition, MachineEnvironment.builder()
                .identity("node1")
                .watchers(registry)
                .stateDirectory(dir.resolve("state"))
                .facts(facts::get)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(Runnable::run)
                .clock(scheduler.clock())
                .random(new FixedRandom(0.5))
                .build());
        machines.add(machine);
        machine.start();
        scheduler.runDue();
        return machine;
    }

    private MachineDefinition load(String yaml, WatcherRegistry registry) throws IOException, MachineLoadException {
        Path machineDir = Files.createDirectories(dir.resolve("thermo"));
        Files.writeString(machineDir.resolve("machine.yaml"), yaml);
        return new MachineLoader(registry).load(machineDir);
    }

    private void temperature(Object value) {
        facts.set(Map.of("temp", value, "os", Map.of("family", "Debian")));
    }

    private List<String> outcomes() {
        return events.watcherStates().stream().map(e -> String.valueOf(e.fields().get("previous_outcome"))).toList();
    }

    private List<String> transitions() {
        return events.transitions().stream().map(t -> t.transition() + ":" + t.toState()).toList();
    }

    private void tick() {
        scheduler.advance(Duration.ofSeconds(10));
        scheduler.runDue();
    }

    @Test
    void firstEvaluatesOneIntervalAfterStartAndFiresOnlyWhenTheOutcomeChanges() throws Exception {
        temperature(25);
        Machine machine = start("interval: 10s", THRESHOLDS);
        assertThat(outcomes()).isEmpty();
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(outcomes()).isEmpty();

        scheduler.advance(Duration.ofSeconds(1));
        scheduler.runDue();
        assertThat(machine.state()).isEqualTo("hot");
        // the tick's evaluation fires heat; the transition's poke evaluates again: published, not fired again
        assertThat(outcomes()).containsExactly("success_when", "success_when");
        tick();
        assertThat(outcomes()).containsExactly("success_when", "success_when", "success_when");
        assertThat(transitions()).containsExactly("heat:hot");
        assertThat(events.watcherStates()).allSatisfy(e -> assertThat(e.watcherType()).isEqualTo("expression"));
        assertThat(machine.status().watchers().get(0).state()).isEqualTo(Map.of("previous_outcome", "success_when"));

        temperature(10);
        tick();
        assertThat(machine.state()).isEqualTo("cool");
        assertThat(transitions()).containsExactly("heat:hot", "chill:cool");
        assertThat(outcomes()).endsWith("failed_when", "failed_when");

        events.clear();
        temperature(17); // neither: no_match publishes nothing and fires nothing
        tick();
        tick();
        assertThat(outcomes()).isEmpty();
        assertThat(machine.status().watchers().get(0).state()).isEqualTo(Map.of("previous_outcome", "no_match"));

        temperature(30);
        tick();
        assertThat(transitions()).containsExactly("heat:hot");
    }

    @Test
    void theDefaultIntervalIsTenSeconds() throws Exception {
        temperature(25);
        Machine machine = start("", THRESHOLDS);
        scheduler.advance(Duration.ofMillis(9_999));
        scheduler.runDue();
        assertThat(machine.state()).isEqualTo("cool");
        scheduler.advance(Duration.ofMillis(1));
        scheduler.runDue();
        assertThat(machine.state()).isEqualTo("hot");
    }

    @Test
    void inactiveItRecordsSkippedSoThatReenteringAnActiveStateFiresAgain() throws Exception {
        temperature(10);
        Machine machine = start("interval: 10s", "success_when: facts.temp < 15");
        tick();
        assertThat(machine.state()).isEqualTo("hot");
        machine.transition("pause");
        scheduler.runDue();
        tick();
        assertThat(machine.status().watchers().get(0).state()).isEqualTo(Map.of("previous_outcome", "skipped"));
        events.clear();

        machine.transition("resume"); // paused -> cool: active again, still true after skipped: fires heat again
        scheduler.runDue();
        assertThat(machine.state()).isEqualTo("hot");
        assertThat(transitions()).containsExactly("resume:cool", "heat:hot");
    }

    @Test
    void anEvaluationErrorPublishesErrorAndFiresNothing() throws Exception {
        temperature("warm");
        Machine machine = start("interval: 10s", THRESHOLDS);
        tick();
        tick();
        assertThat(outcomes()).containsExactly("error", "error");
        assertThat(transitions()).isEmpty();
        assertThat(machine.state()).isEqualTo("cool");

        temperature(25); // after an error, success fires
        tick();
        assertThat(transitions()).containsExactly("heat:hot");
    }

    @Test
    void aMissingValueIsNilSoANilGuardMakesNoError() throws Exception {
        Machine machine = start("interval: 10s", "success_when: facts.temp != nil && facts.temp > 20");
        tick();
        assertThat(outcomes()).isEmpty();
        assertThat(machine.status().watchers().get(0).state()).isEqualTo(Map.of("previous_outcome", "no_match"));
    }

    @Test
    void seesTheMachinesDataTheIdentityAndGetFact() throws Exception {
        Path data = Files.createDirectories(dir.resolve("state").resolve("machines").resolve("thermo"));
        Files.writeString(data.resolve("machine_data.json"), "{\"mode\": \"on\", \"limits\": {\"max\": 20}}");
        temperature(25);
        Machine machine = start("interval: 10s", "success_when: >-\n        data.mode == 'on' and identity == 'node1'"
                + " and get_fact('os.family') == 'Debian' and get_fact('temp') > data.limits.max"
                + " and get_fact('no.such') == nil");
        tick();
        assertThat(transitions()).containsExactly("heat:hot");
        assertThat(machine.state()).isEqualTo("hot");
    }

    // ---- bad definitions, through the real loader

    private List<String> problems(String common, String properties) {
        WatcherRegistry registry = WatcherRegistry.of(List.of(new ExpressionWatcherFactory()));
        try {
            load(MACHINE.formatted(common, properties), registry);
            throw new AssertionError("loaded");
        } catch (MachineLoadException e) {
            return e.problems().stream().map(ExpressionWatcherTest::lineAndMessage).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String lineAndMessage(Problem p) {
        return p.line() + ": " + p.where() + ": " + p.message();
    }

    @Test
    void aBadExpressionIsALoadErrorAtItsLineWithItsColumn() {
        assertThat(problems("interval: 10s", "success_when: dat.temp > 20\n      fail_when: facts.temp <"))
                .containsExactly(
                        "17: watcher \"temp\" property \"success_when\": success_when: unknown name dat (column 1)",
                        "18: watcher \"temp\" property \"fail_when\": fail_when: syntax error near \"<\" (column 12)");
    }

    @Test
    void refusesWhatExprRefusesOrTendDoesNotSupport() {
        assertThat(problems("interval: 10s", "success_when: \"1\""))
                .containsExactly("17: watcher \"temp\" property \"success_when\": success_when: expected bool, but got"
                        + " int (column 1)");
        assertThat(problems("interval: 10s", "success_when: filter(facts.list, # > 1) != nil"))
                .containsExactly("17: watcher \"temp\" property \"success_when\": success_when: filter() takes a "
                        + "predicate: predicates are not supported (column 1)");
        assertThat(problems("interval: 10s", "{}"))
                .containsExactly("10: watcher \"temp\": success_when or fail_when is required");
        assertThat(problems("interval: 100ms", THRESHOLDS))
                .containsExactly("10: watcher \"temp\": interval must be at least 500ms, not 100ms");
    }
}
