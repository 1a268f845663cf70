package dev.tend.machine.engine;

import dev.tend.machine.InvalidTransitionException;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineHost;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.testing.TestMachines;
import dev.tend.machine.testing.TestWatcherCall.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineTransitionsTest {

    @TempDir
    Path dir;

    private MachineDefinition door() {
        return TestMachines.machine("door", dir).version("1.2.3").initial("closed")
                .transition("open", "opened", "closed")
                .transition("close", "closed", "opened")
                .transition("lock", "locked", "closed")
                .transition("unlock", "closed", "locked")
                .transition("stay", "closed", "closed") // a self transition
                .watcher(TestMachines.testWatcher("w"))
                .build();
    }

    @Test
    void startsInTheInitialStateWithoutAnEventOrAPoke() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door());
        m.start();
        f.scheduler.runDue();

        assertThat(m.state()).isEqualTo("closed");
        assertThat(f.events.transitions()).isEmpty();
        assertThat(f.calls("w", Kind.STARTED)).hasSize(1);
        assertThat(f.calls("w", Kind.STATE_CHANGED)).isEmpty();
        m.stop();
    }

    @Test
    void anOperatorTransitionAppliesAtOncePublishesTheEventAndTellsTheHost() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        List<TransitionEvent> told = new ArrayList<>();
        Machine m = f.create(door(), host(told));
        f.scheduler.advance(Duration.ofSeconds(7));

        assertThat(m.transition("open")).isEqualTo("opened");

        assertThat(m.state()).isEqualTo("opened");
        TransitionEvent e = f.events.transitions().get(0);
        assertThat(e).isEqualTo(new TransitionEvent("node1", "door", m.instanceId(), "1.2.3",
                f.scheduler.now(), "open", "closed", "opened"));
        assertThat(told).containsExactly(e);
    }

    @Test
    void aSelfTransitionChangesNothingAndEmitsNothing() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        List<TransitionEvent> told = new ArrayList<>();
        Machine m = f.create(door(), host(told));
        m.start();
        f.scheduler.runDue();

        assertThat(m.transition("stay")).isEqualTo("closed");
        m.fire("stay");
        f.scheduler.runDue();

        assertThat(f.events.transitions()).isEmpty();
        assertThat(told).isEmpty();
        assertThat(f.calls("w", Kind.STATE_CHANGED)).isEmpty();
        m.stop();
    }

    @Test
    void anOperatorsInvalidEventIsAnErrorNamingTheValidOnes() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door());

        assertThatThrownBy(() -> m.transition("close"))
                .isInstanceOf(InvalidTransitionException.class)
                .hasMessage("transition \"close\" is not valid in state \"closed\" of machine \"door\" "
                        + "(valid: lock, open, stay)");
        m.transition("open");
        assertThatThrownBy(() -> m.transition("nonsense"))
                .hasMessage("transition \"nonsense\" is not valid in state \"opened\" of machine \"door\" (valid: close)");
        assertThat(m.state()).isEqualTo("opened");
        assertThat(f.events.transitions()).hasSize(1);
    }

    @Test
    void theOperatorsErrorSaysSoWhenNoEventIsValid() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(TestMachines.machine("sink", dir).initial("start")
                .transition("go", "end", "start").watcher(TestMachines.testWatcher("w")).build());
        m.fire("go");
        f.scheduler.runDue();

        assertThatThrownBy(() -> m.transition("go"))
                .hasMessage("transition \"go\" is not valid in state \"end\" of machine \"sink\" "
                        + "(no events are valid in state \"end\")");
    }

    @Test
    void firedEventsApplyLaterInOrderAndInvalidOnesAreIgnored() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door());

        m.fire("open");
        m.fire("lock");  // not valid in "opened": ignored when its turn comes
        m.fire("close");
        m.fire("lock");
        assertThat(m.state()).as("fire never applies on the caller's thread").isEqualTo("closed");

        f.scheduler.runDue();

        assertThat(m.state()).isEqualTo("locked");
        assertThat(f.events.transitions()).extracting(TransitionEvent::transition)
                .containsExactly("open", "close", "lock");
    }

    @Test
    void laterTransitionEntriesWinForTheSameSource() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(TestMachines.machine("m", dir).initial("a")
                .transition("next", "b", "a")
                .transition("next", "c", "a")
                .transition("next", "a", "c")
                .watcher(TestMachines.testWatcher("w")).build());

        assertThat(m.transition("next")).isEqualTo("c");
        assertThat(m.transition("next")).isEqualTo("a");
    }

    @Test
    void statusShowsTheMachineItsTransitionsAndWatchers() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(TestMachines.machine("door", dir).version("2.0.0").initial("closed")
                .transition("open", "opened", "closed")
                .transition("lock", "locked", "closed")
                .watcher(TestMachines.testWatcher("inside").stateMatch("opened").property("tags", List.of("x")))
                .watcher(TestMachines.testWatcher("always"))
                .build());

        MachineStatus before = m.status();
        assertThat(before.name()).isEqualTo("door");
        assertThat(before.version()).isEqualTo("2.0.0");
        assertThat(before.state()).isEqualTo("closed");
        assertThat(before.path()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(before.instanceId()).isEqualTo(m.instanceId()).hasSize(36);
        assertThat(before.startTime()).as("not started").isNull();
        assertThat(before.availableTransitions()).containsExactly("lock", "open");
        assertThat(before.watchers()).extracting(w -> w.name() + " " + w.type() + " " + w.active() + " " + w.state())
                .containsExactly("inside test false {}", "always test true {}");

        f.scheduler.advance(Duration.ofSeconds(3));
        m.start();
        f.scheduler.runDue();
        m.transition("open");

        MachineStatus after = m.status();
        assertThat(after.startTime()).isEqualTo(f.scheduler.now());
        assertThat(after.state()).isEqualTo("opened");
        assertThat(after.availableTransitions()).isEmpty();
        assertThat(after.watchers().get(0).active()).isTrue();
        assertThat(after.watchers().get(0).state()).containsEntry("state", "active").containsEntry("activations", 1)
                .containsEntry("tags", List.of("x"));
        m.stop();
    }

    @Test
    void aStoppedMachineIgnoresFiredEventsAndRefusesOperatorTransitions() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door());
        m.start();
        f.scheduler.runDue();
        m.fire("open");
        m.stop();
        m.fire("open");
        f.scheduler.runDue();

        assertThat(m.state()).isEqualTo("closed");
        assertThatThrownBy(() -> m.transition("open")).isInstanceOf(IllegalStateException.class)
                .hasMessage("machine \"door\" is stopped");
        m.start();
        f.scheduler.runDue();
        assertThat(f.calls("w", Kind.STARTED)).as("stop is final").hasSize(1);
        assertThat(f.events.transitions()).isEmpty();
    }

    @Test
    void transitionsBeforeStartAreSeenByTheWatchersWhenTheyStart() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(TestMachines.machine("door", dir).initial("closed")
                .transition("open", "opened", "closed")
                .watcher(TestMachines.testWatcher("w").stateMatch("opened"))
                .build());
        m.transition("open");
        m.start();
        f.scheduler.runDue();

        assertThat(f.calls("w", Kind.ACTIVATED)).extracting(call -> call.state())
                .containsExactly("opened");
        m.stop();
    }

    private static MachineHost host(List<TransitionEvent> told) {
        return new MachineHost() {
            @Override
            public Optional<String> stateOf(String machineName) {
                return Optional.empty();
            }

            @Override
            public void transitioned(TransitionEvent event) {
                told.add(event);
            }
        };
    }
}
