package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.testing.TestMachines;
import dev.tend.machine.testing.TestWatcherCall;
import dev.tend.machine.testing.TestWatcherCall.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Machines beside each other on one host: subscriptions and foreign state requirements. */
class MachineHostTest {

    @TempDir
    Path dir;

    @Test
    void aTransitionFiresTheTransitionsSubscribedToItIncludingTheOriginsOwn() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        SubscribingHost host = new SubscribingHost(f.scheduler);
        Machine sensor = f.create(TestMachines.machine("sensor", dir).initial("healthy")
                .transition("critical", "failing", "healthy")
                .transition("recover", "healthy", "failing")
                .subscribed("echo", "echoed", List.of("failing"), "sensor", "critical") // its own event
                .transition("reset", "healthy", "echoed")
                .watcher(TestMachines.testWatcher("w")).build(), host);
        Machine hvac = f.create(TestMachines.machine("hvac", dir).initial("idle")
                .subscribed("air_bad", "running", List.of("idle"), "sensor", "critical")
                .transition("air_good", "idle", "running")
                .watcher(TestMachines.testWatcher("w")).build(), host);
        host.add(sensor);
        host.add(hvac);

        sensor.transition("critical");
        assertThat(hvac.state()).as("forwarded asynchronously").isEqualTo("idle");
        f.scheduler.runDue();

        assertThat(hvac.state()).isEqualTo("running");
        assertThat(sensor.state()).isEqualTo("echoed");

        // a subscribed transition that is not valid in the subscriber's state is ignored
        sensor.transition("reset");
        sensor.transition("critical");
        f.scheduler.runDue();
        assertThat(sensor.state()).isEqualTo("echoed");
        assertThat(hvac.state()).isEqualTo("running");
        assertThat(f.events.transitions()).extracting(e -> e.machine() + " " + e.transition())
                .containsExactlyInAnyOrder("sensor critical", "hvac air_bad", "sensor echo", "sensor reset",
                        "sensor critical", "sensor echo");
    }

    @Test
    void aWatcherIsActiveOnlyInItsStatesAndWhenEveryForeignStateHolds() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        SubscribingHost host = new SubscribingHost(f.scheduler);
        Machine sensor = f.create(TestMachines.machine("sensor", dir).initial("healthy")
                .transition("critical", "failing", "healthy")
                .transition("recover", "healthy", "failing")
                .watcher(TestMachines.testWatcher("w")).build(), host);
        Machine power = f.create(TestMachines.machine("power", dir).initial("on")
                .transition("cut", "off", "on")
                .watcher(TestMachines.testWatcher("w")).build(), host);
        Machine hvac = f.create(TestMachines.machine("hvac", dir).initial("idle")
                .transition("run", "running", "idle")
                .transition("rest", "idle", "running")
                .watcher(TestMachines.testWatcher("monitor").stateMatch("idle", "running")
                        .requires("sensor", "healthy").requires("power", "on"))
                .watcher(TestMachines.testWatcher("needs_ghost").requires("ghost", "here"))
                .watcher(TestMachines.testWatcher("only_running").stateMatch("running"))
                .build(), host);
        host.add(sensor);
        host.add(power);
        host.add(hvac);

        assertThat(active(hvac.status())).containsExactly("monitor true", "needs_ghost false", "only_running false");

        sensor.transition("critical");
        assertThat(active(hvac.status())).containsExactly("monitor false", "needs_ghost false", "only_running false");

        sensor.transition("recover");
        hvac.transition("run");
        assertThat(active(hvac.status())).containsExactly("monitor true", "needs_ghost false", "only_running true");

        power.transition("cut");
        assertThat(active(hvac.status())).containsExactly("monitor false", "needs_ghost false", "only_running true");
    }

    @Test
    void aForeignChangeDoesNotWakeTheWatcherButItsOwnMachinesNextTransitionSeesIt() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        SubscribingHost host = new SubscribingHost(f.scheduler);
        Machine sensor = f.create(TestMachines.machine("sensor", dir).initial("failing")
                .transition("recover", "healthy", "failing")
                .watcher(TestMachines.testWatcher("w")).build(), host);
        Machine hvac = f.create(TestMachines.machine("hvac", dir).initial("idle")
                .transition("run", "running", "idle")
                .watcher(TestMachines.testWatcher("monitor").requires("sensor", "healthy"))
                .build(), host);
        host.add(sensor);
        host.add(hvac);
        hvac.start();
        f.scheduler.runDue();
        assertThat(f.calls("monitor", Kind.ACTIVATED)).isEmpty();

        sensor.transition("recover");
        f.scheduler.runDue();
        assertThat(f.calls("monitor", Kind.STATE_CHANGED)).isEmpty();

        hvac.transition("run");
        assertThat(f.calls("monitor", Kind.ACTIVATED)).extracting(TestWatcherCall::state).containsExactly("running");
        hvac.stop();
    }

    private static List<String> active(MachineStatus status) {
        return status.watchers().stream().map(w -> w.name() + " " + w.active()).toList();
    }
}
