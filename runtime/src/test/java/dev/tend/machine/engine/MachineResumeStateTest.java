package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.ResumeOutcome;
import dev.tend.machine.data.SavedState;
import dev.tend.machine.data.StateFile;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A machine that resumes its state (its file's {@code tend: {resume_state: true}}, or the agent's
 * {@code --resume-state}): the state, when it was entered and the data come back in a new instance of the same
 * definition; a changed definition, or a saved state the definition no longer has, starts in the initial state.
 * Time is the manual scheduler's clock.
 */
class MachineResumeStateTest {

    @TempDir
    Path stateDir;
    @TempDir
    Path machineDir;

    private MachineDefinition node(String sha256, boolean resume) {
        MachineDefinition d = TestMachines.machine("node", machineDir).initial("running")
                .transition("enter_maintenance", "maintenance", "running")
                .transition("leave_maintenance", "running", "maintenance")
                .watcher(TestMachines.testWatcher("w").stateMatch("running", "maintenance")
                        .property("data_key", "seen").property("data_value", "yes"))
                .build();
        return new MachineDefinition(d.name(), d.version(), d.initialState(), d.splayStart(), d.transitions(),
                d.watchers(), d.directory(), sha256, d.warnings(), resume);
    }

    private Path stateFile() {
        return stateDir.resolve("machines/node").resolve(StateFile.NAME);
    }

    /** Runs a first instance into maintenance at 00:10 (the watcher writes its data) and stops it at 00:30. */
    private Instant firstRunIntoMaintenance(EngineFixture f, MachineDefinition definition) throws Exception {
        Machine first = f.create(definition);
        first.start();
        f.scheduler.runDue();
        f.scheduler.advance(Duration.ofMinutes(10));
        Instant entered = f.scheduler.clock().instant();
        first.transition("enter_maintenance");
        f.scheduler.runDue();
        f.scheduler.advance(Duration.ofMinutes(20));
        first.stop();
        return entered;
    }

    @Test
    void theSameDefinitionResumesTheSavedStateWhenItWasEnteredAndTheData() throws Exception {
        EngineFixture f = new EngineFixture(stateDir);
        Instant entered = firstRunIntoMaintenance(f, node("aaa", true));
        f.events.clear();

        Machine second = f.create(node("aaa", true));
        second.start();
        f.scheduler.runDue();

        assertThat(second.state()).isEqualTo("maintenance");
        MachineStatus status = second.status();
        assertThat(status.stateSince()).isEqualTo(entered);
        assertThat(status.data()).containsEntry("seen", "yes");
        assertThat(status.resume()).isEqualTo(new ResumeOutcome(true, "maintenance", entered, null));
        assertThat(f.events.events()).filteredOn(TransitionEvent.class::isInstance).map(TransitionEvent.class::cast)
                .extracting(TransitionEvent::transition, TransitionEvent::fromState, TransitionEvent::toState)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EngineMachine.RESUME_EVENT, "running",
                        "maintenance"));
        second.stop();
    }

    @Test
    void aChangedDefinitionStartsInTheInitialStateAndSaysWhy() throws Exception {
        EngineFixture f = new EngineFixture(stateDir);
        Instant entered = firstRunIntoMaintenance(f, node("aaa", true));
        Instant saved = StateFile.beside(stateFile().resolveSibling("machine_data.json")).read().orElseThrow().saved();
        f.events.clear();

        Machine second = f.create(node("bbb", true));
        second.start();
        f.scheduler.runDue();

        assertThat(second.state()).isEqualTo("running");
        assertThat(second.status().resume()).isEqualTo(new ResumeOutcome(false, "maintenance", saved,
                "definition changed since state maintenance was saved"));
        assertThat(second.status().resume().describe("running"))
                .isEqualTo("starting in initial_state running: definition changed since state maintenance was saved");
        assertThat(f.events.events()).noneMatch(e -> e instanceof TransitionEvent);
        assertThat(saved).isEqualTo(entered); // written last by the transition
        // The fresh start is saved: the next start of this definition resumes running, not the old maintenance.
        SavedState now = StateFile.beside(stateFile()).read().orElseThrow();
        assertThat(now.state()).isEqualTo("running");
        assertThat(now.definitionSha256()).isEqualTo("bbb");
        second.stop();
    }

    @Test
    void aSavedStateTheDefinitionDoesNotHaveStartsInTheInitialState() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        StateFile.beside(stateFile()).write(new SavedState("gone", "aaa", t, t, Map.of("k", "v")));
        EngineFixture f = new EngineFixture(stateDir);

        Machine m = f.create(node("aaa", true));

        assertThat(m.state()).isEqualTo("running");
        assertThat(m.status().resume().reason()).isEqualTo("state gone no longer exists in the definition");
        assertThat(m.status().data()).doesNotContainKey("k");
    }

    @Test
    void withoutTheOptInTheMachineStartsInItsInitialStateAndSavesNothing() throws Exception {
        EngineFixture f = new EngineFixture(stateDir);
        firstRunIntoMaintenance(f, node("aaa", false));

        Machine second = f.create(node("aaa", false));
        second.start();
        f.scheduler.runDue();

        assertThat(second.state()).isEqualTo("running");
        assertThat(second.status().resume()).isNull();
        assertThat(stateFile()).doesNotExist();
        assertThat(second.status().data()).containsEntry("seen", "yes"); // data survives as it always did
        second.stop();
    }

    @Test
    void theAgentsSettingResumesEveryMachine() throws Exception {
        EngineFixture f = new EngineFixture(stateDir);
        Machine first = Machines.create(node("aaa", false), f.environment().resumeState(true).build());
        first.start();
        first.transition("enter_maintenance");
        first.stop();

        Machine second = Machines.create(node("aaa", false), f.environment().resumeState(true).build());

        assertThat(second.state()).isEqualTo("maintenance");
        assertThat(second.status().resume().resumed()).isTrue();
    }

    @Test
    void everyChangeOfTheDataIsSavedWithTheState() throws Exception {
        EngineFixture f = new EngineFixture(stateDir);
        firstRunIntoMaintenance(f, node("aaa", true));

        SavedState saved = StateFile.beside(stateFile()).read().orElseThrow();
        assertThat(saved.state()).isEqualTo("maintenance");
        assertThat(saved.definitionSha256()).isEqualTo("aaa");
        assertThat(saved.data()).containsEntry("seen", "yes");
    }

    @Test
    void theDataSavedWithTheStateWinsOverAnOlderDataFile() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        StateFile.beside(stateFile()).write(new SavedState("maintenance", "aaa", t, t, Map.of("seen", "newer")));
        Files.writeString(stateFile().resolveSibling("machine_data.json"), "{\"seen\": \"older\"}");
        EngineFixture f = new EngineFixture(stateDir);

        Machine m = f.create(node("aaa", true));

        assertThat(m.state()).isEqualTo("maintenance");
        assertThat(m.status().data()).containsEntry("seen", "newer");
        assertThat(Files.readString(stateFile().resolveSibling("machine_data.json"))).contains("newer");
    }

    @Test
    void aDeletedMachineForgetsItsSavedState() throws Exception {
        EngineFixture f = new EngineFixture(stateDir);
        Machine first = f.create(node("aaa", true));
        first.start();
        first.transition("enter_maintenance");
        assertThat(stateFile()).exists();

        first.delete();

        assertThat(stateFile()).doesNotExist();
        assertThat(f.create(node("aaa", true)).state()).isEqualTo("running");
    }

    @Test
    void aCorruptStateFileStartsInTheInitialState() throws Exception {
        Files.createDirectories(stateFile().getParent());
        Files.writeString(stateFile(), "{not json");
        EngineFixture f = new EngineFixture(stateDir);

        Machine m = f.create(node("aaa", true));
        m.start();
        f.scheduler.runDue();

        assertThat(m.state()).isEqualTo("running");
        assertThat(m.status().resume()).isNull();
        assertThat(StateFile.beside(stateFile()).read().orElseThrow().state()).isEqualTo("running");
        m.stop();
    }

    @Test
    void inNoopModeTheSavedStateIsResumedButNeverWrittenOrRemoved() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        SavedState before = new SavedState("maintenance", "aaa", t, t, Map.of("seen", "saved"));
        StateFile.beside(stateFile()).write(before);
        byte[] bytes = Files.readAllBytes(stateFile());
        EngineFixture f = new EngineFixture(stateDir);

        Machine m = Machines.create(node("aaa", true), f.environment().noop(true).build());
        assertThat(m.state()).isEqualTo("maintenance");
        assertThat(m.status().data()).containsEntry("seen", "saved");
        m.start();
        f.scheduler.runDue(); // its watcher stores seen=yes: in memory only
        assertThat(m.status().data()).containsEntry("seen", "yes");
        m.transition("leave_maintenance");
        f.scheduler.runDue();
        assertThat(m.state()).isEqualTo("running");
        m.delete();

        assertThat(Files.readAllBytes(stateFile())).isEqualTo(bytes);
        assertThat(stateFile().resolveSibling("machine_data.json")).doesNotExist();
    }
}
