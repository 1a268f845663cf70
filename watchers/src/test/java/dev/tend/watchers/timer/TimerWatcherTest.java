package dev.tend.watchers.timer;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.TransitionEvent;
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
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** The timer watcher on a real machine, with time driven by hand. */
class TimerWatcherTest {

    /** A maintenance window that ends itself: the timer runs in maintenance and maintenance2 (line 15: its properties). */
    private static final String MACHINE = """
            name: window
            version: 1.0.0
            initial_state: %s
            transitions:
              - {name: enter, from: [idle], destination: maintenance}
              - {name: move, from: [maintenance], destination: maintenance2}
              - {name: back, from: [maintenance2], destination: maintenance}
              - {name: resume, from: [maintenance, maintenance2], destination: idle}
            watchers:
              - name: window
                type: timer
                state_match: [maintenance, maintenance2]
                fail_transition: resume
                properties:
                  %s
            """;

    @TempDir
    Path dir;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final EventRecorder events = new EventRecorder();
    private final List<Machine> machines = new ArrayList<>();

    @AfterEach
    void stopMachines() {
        machines.forEach(Machine::stop);
    }

    private Machine start(String initial, String properties) throws Exception {
        return start(initial, properties, new TimerWatcherFactory());
    }

    private Machine start(String initial, String properties, TimerWatcherFactory factory) throws Exception {
        return start(MACHINE.formatted(initial, properties), factory);
    }

    private Machine start(String yaml, TimerWatcherFactory factory) throws Exception {
        WatcherRegistry registry = WatcherRegistry.of(List.of(factory));
        MachineDefinition definition = load(yaml, registry);
        Machine machine = Machines.create(definition, MachineEnvironment.builder()
                .identity("node1")
                .watchers(registry)
                .stateDirectory(dir.resolve("state"))
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
        Path machineDir = Files.createDirectories(dir.resolve("window"));
        Files.writeString(machineDir.resolve("machine.yaml"), yaml);
        return new MachineLoader(registry).load(machineDir);
    }

    private List<Map<String, Object>> states() {
        return events.watcherStates().stream().map(WatcherStateEvent::fields).toList();
    }

    private List<String> transitions() {
        return events.transitions().stream().map(t -> t.transition() + ":" + t.toState()).toList();
    }

    private static Map<String, Object> running(Duration timer) {
        return Map.of("state", "running", "timer", timer.toNanos());
    }

    private static Map<String, Object> stopped(Duration timer) {
        return Map.of("state", "stopped", "timer", timer.toNanos());
    }

    @Test
    void startsWhenTheMachineStartsInAMatchingStateAndFiresFailWhenItExpires() throws Exception {
        Machine machine = start("maintenance", "timer: 10s");
        assertThat(states()).containsExactly(running(Duration.ofSeconds(10)));
        assertThat(machine.status().watchers().get(0).state()).isEqualTo(running(Duration.ofSeconds(10)));

        scheduler.advance(Duration.ofSeconds(9));
        assertThat(machine.state()).isEqualTo("maintenance");

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(states()).containsExactly(running(Duration.ofSeconds(10)), stopped(Duration.ofSeconds(10)));
        assertThat(transitions()).containsExactly("resume:idle");
        assertThat(events.watcherStates()).allSatisfy(e -> assertThat(e.watcherType()).isEqualTo("timer"));
    }

    @Test
    void doesNothingAtStartInAStateThatDoesNotMatchAndStartsOnEnteringOne() throws Exception {
        Machine machine = start("idle", "timer: 5s");
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(states()).isEmpty();
        assertThat(machine.status().watchers().get(0).state()).isEqualTo(stopped(Duration.ofSeconds(5)));

        machine.transition("enter");
        scheduler.runDue();
        assertThat(states()).containsExactly(running(Duration.ofSeconds(5)));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(machine.state()).isEqualTo("idle");
        assertThat(transitions()).containsExactly("enter:maintenance", "resume:idle");
    }

    @Test
    void everyTransitionIntoAMatchingStateRestartsTheTimer() throws Exception {
        Machine machine = start("maintenance", "timer: 10s");
        scheduler.advance(Duration.ofSeconds(6));
        machine.transition("move"); // maintenance -> maintenance2: both match, the timer starts again
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(machine.state()).as("the first run would have expired at 10 s").isEqualTo("maintenance2");
        machine.transition("back");
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(machine.state()).isEqualTo("maintenance");

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(machine.state()).isEqualTo("idle");
        assertThat(states()).containsExactly(running(Duration.ofSeconds(10)), running(Duration.ofSeconds(10)),
                running(Duration.ofSeconds(10)), stopped(Duration.ofSeconds(10)));
        assertThat(transitions()).containsExactly("move:maintenance2", "back:maintenance", "resume:idle");
    }

    @Test
    void leavingTheMatchingStatesStopsTheTimerWithoutFiring() throws Exception {
        Machine machine = start("maintenance", "timer: 10s");
        scheduler.advance(Duration.ofSeconds(3));
        machine.transition("resume"); // an operator ends the window early
        scheduler.runDue();
        assertThat(states()).containsExactly(running(Duration.ofSeconds(10)), stopped(Duration.ofSeconds(10)));

        scheduler.advance(Duration.ofMinutes(1));
        assertThat(transitions()).containsExactly("resume:idle");
        assertThat(states()).hasSize(2);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void stoppingTheMachineCancelsTheTimerSilently() throws Exception {
        Machine machine = start("maintenance", "timer: 10s");
        machine.stop();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(states()).containsExactly(running(Duration.ofSeconds(10)));
        assertThat(transitions()).isEmpty();
        assertThat(machine.state()).isEqualTo("maintenance");
    }

    @Test
    void splayRunsForARandomPartOfTheTimerChosenOncePerWatcher() throws Exception {
        RandomGenerator quarter = new FixedRandom(0.25);
        Machine machine = start("maintenance", "{timer: 8s, splay: true}", new TimerWatcherFactory(quarter));
        assertThat(states()).containsExactly(running(Duration.ofSeconds(2)));

        scheduler.advance(Duration.ofSeconds(2));
        assertThat(machine.state()).isEqualTo("idle");
        machine.transition("enter");
        scheduler.runDue();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(machine.state()).as("the same splayed length again").isEqualTo("idle");
        assertThat(states()).containsExactly(running(Duration.ofSeconds(2)), stopped(Duration.ofSeconds(2)),
                running(Duration.ofSeconds(2)), stopped(Duration.ofSeconds(2)));
    }

    @Test
    void aTimerShorterThanOneSecondRunsForOneSecondAsInTheReference() throws Exception {
        Machine machine = start("maintenance", "timer: 10ms");
        assertThat(states()).containsExactly(running(Duration.ofSeconds(1)));
        scheduler.advance(Duration.ofMillis(999));
        assertThat(machine.state()).isEqualTo("maintenance");
        scheduler.advance(Duration.ofMillis(1));
        assertThat(machine.state()).isEqualTo("idle");
    }

    @Test
    void withoutATimerPropertyItRunsForOneSecond() throws Exception {
        start("maintenance", "{}");
        assertThat(states()).containsExactly(running(Duration.ofSeconds(1)));
    }

    @Test
    void publishedFieldsAreTheReferences() throws Exception {
        start("maintenance", "timer: 1m30s");
        WatcherStateEvent event = events.watcherStates().get(0);
        assertThat(event.type()).isEqualTo("dev.tend.machine.watcher.timer.v1.state");
        assertThat(event.fields()).containsOnlyKeys("state", "timer");
        assertThat(event.fields().get("timer")).isEqualTo(90_000_000_000L);
        assertThat(events.transitions()).extracting(TransitionEvent::transition).isEmpty();
    }

    // ---- bad definitions, through the real loader

    private List<String> problems(String yaml) {
        WatcherRegistry registry = WatcherRegistry.of(List.of(new TimerWatcherFactory()));
        try {
            load(yaml, registry);
            throw new AssertionError("loaded");
        } catch (MachineLoadException e) {
            return e.problems().stream().map(TimerWatcherTest::lineAndMessage).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> warnings(String yaml) {
        try {
            return load(yaml, WatcherRegistry.of(List.of(new TimerWatcherFactory()))).warnings().stream()
                    .map(TimerWatcherTest::lineAndMessage).toList();
        } catch (IOException | MachineLoadException e) {
            throw new AssertionError(e);
        }
    }

    private static String lineAndMessage(Problem p) {
        return p.line() + ": " + p.where() + ": " + p.message();
    }

    /** Choria's website shows a timer with a success_transition; it loads with a warning and is never fired. */
    @Test
    void aSuccessTransitionLoadsWithAWarningAndIsNeverFired() throws Exception {
        String yaml = MACHINE.formatted("maintenance", "timer: 10s")
                .replace("fail_transition: resume", "fail_transition: resume\n    success_transition: move");
        String warning = "10: watcher \"window\": a timer watcher has no success outcome: success_transition \"move\""
                + " is never fired (it fires only fail_transition, when the timer expires)";
        Machine machine = start(yaml, new TimerWatcherFactory());
        assertThat(machine.status().warnings()).extracting(TimerWatcherTest::lineAndMessage).containsExactly(warning);

        scheduler.advance(Duration.ofSeconds(10));
        assertThat(transitions()).containsExactly("resume:idle");
        assertThat(states()).containsExactly(running(Duration.ofSeconds(10)), stopped(Duration.ofSeconds(10)));
    }

    @Test
    void badPropertiesAreReportedWithTheirLines() {
        assertThat(problems(MACHINE.formatted("idle", "{timer: 10, splay: maybe, tmier: 5s}"))).containsExactly(
                "15: watcher \"window\" property \"timer\": invalid duration \"10\": add a unit, e.g. 10s",
                "15: watcher \"window\" property \"splay\": must be true or false, not \"maybe\"");
        assertThat(warnings(MACHINE.formatted("idle", "{timer: 10s, tmier: 5s}"))).containsExactly(
                "15: watcher \"window\": unknown property \"tmier\" (did you mean \"timer\"?)");
    }
}
