package dev.tend.machine.agent;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.Subscription;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.spi.WatcherDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static dev.tend.machine.agent.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Machines side by side: unique names, foreign states, subscriptions, events, closing. Definitions built in code. */
class MachineGroupTest {

    @TempDir
    Path tmp;

    private ProbeWatchers probes;
    private MachineGroup group;

    @BeforeEach
    void setUp() {
        probes = new ProbeWatchers();
        group = MachineGroup.create(MachineSettings.builder().identity("node").watchers(probes.registry())
                .stateDirectory(tmp.resolve("state")).build(), "tend-grouptest");
    }

    @AfterEach
    void tearDown() {
        group.close();
    }

    private MachineDefinition definition(String name, TransitionDefinition... transitions) {
        WatcherDefinition probe = new WatcherDefinition("probe", "probe", List.of(), List.of(), "", "", Duration.ZERO,
                Duration.ZERO, null, 1);
        return new MachineDefinition(name, "1.0.0", "idle", Duration.ZERO, List.of(transitions), List.of(probe),
                tmp.resolve(name), "sha-" + name);
    }

    private static TransitionDefinition transition(String name, String from, String to, Subscription... subscribe) {
        return new TransitionDefinition(name, List.of(from), to, "", List.of(subscribe));
    }

    @Test
    void namesAreUniqueAndTheMessageNamesBothDirectories() throws Exception {
        group.add(definition("one", transition("go", "idle", "busy")));
        MachineDefinition again = new MachineDefinition("one", "2.0.0", "idle", Duration.ZERO, List.of(
                transition("go", "idle", "busy")), definition("x").watchers(), tmp.resolve("elsewhere"), "sha");
        assertThatThrownBy(() -> group.add(again))
                .isInstanceOf(DuplicateMachineException.class)
                .hasMessage("machine \"one\" in " + tmp.resolve("elsewhere") + " is refused: a machine of that name is "
                        + "already loaded from " + tmp.resolve("one"));
        assertThat(group.machine("one").orElseThrow().definition().version()).isEqualTo("1.0.0");
    }

    @Test
    void machinesAreListedByNameAndAnswerForeignStates() throws Exception {
        group.add(definition("zulu", transition("go", "idle", "busy")));
        Machine alpha = group.add(definition("alpha", transition("go", "idle", "busy")));
        assertThat(group.machines()).extracting(m -> m.definition().name()).containsExactly("alpha", "zulu");
        alpha.transition("go");
        assertThat(group.stateOf("alpha")).contains("busy");
        assertThat(group.stateOf("zulu")).contains("idle");
        assertThat(group.stateOf("nobody")).isEmpty();
        assertThat(group.identity()).isEqualTo("node");
    }

    @Test
    void subscriptionsFollowMachinesInAndOut() throws Exception {
        Machine leader = group.add(definition("leader", transition("go", "idle", "busy"),
                transition("back", "busy", "idle")));
        group.add(definition("follower", transition("follow", "idle", "followed", new Subscription("leader", "go")),
                transition("reset", "followed", "idle")));
        leader.start();
        leader.transition("go");
        await("the follower's transition", () -> group.stateOf("follower").equals(Optional.of("followed")));

        assertThat(group.subscriptionCount()).isEqualTo(1);
        group.remove("follower");
        assertThat(group.machine("follower")).isEmpty();
        assertThat(group.subscriptionCount()).as("a removed machine's subscriptions go with it").isZero();
        group.add(definition("follower", transition("follow", "idle", "followed")));
        assertThat(group.subscriptionCount()).isZero();
    }

    @Test
    void aListenerThatThrowsDoesNotHarmTheMachine() throws Exception {
        Machine one = group.add(definition("one", transition("go", "idle", "busy")));
        List<MachineEvent> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable a = group.subscribe(e -> {
            throw new IllegalStateException("listener bug");
        }); AutoCloseable b = group.subscribe(seen::add)) {
            assertThat(one.transition("go")).isEqualTo("busy");
            await("the second listener's event", () -> !seen.isEmpty());
        }
    }

    @Test
    void deleteRunsTheWatchersDeleteHooks() throws Exception {
        Machine one = group.add(definition("one", transition("go", "idle", "busy")));
        one.start();
        await("started", () -> probes.callNames("one").contains("start"));
        assertThat(group.delete("one")).contains(one);
        assertThat(probes.callNames("one")).contains("delete");
        assertThat(group.delete("one")).isEmpty();
        assertThat(group.size()).isZero();
    }

    @Test
    void closeStopsMachinesAndOnlyTheThreadsTheGroupMade() throws Exception {
        ScheduledExecutorService mine = Executors.newSingleThreadScheduledExecutor();
        try {
            MachineGroup withMine = MachineGroup.create(MachineSettings.builder().identity("node")
                    .watchers(probes.registry()).stateDirectory(tmp.resolve("state")).scheduler(mine).build(),
                    "tend-grouptest2");
            Machine one = withMine.add(definition("one", transition("go", "idle", "busy")));
            one.start();
            await("started", () -> probes.callNames("one").contains("start"));
            withMine.close();
            assertThat(probes.callNames("one")).contains("stop");
            assertThat(mine.isShutdown()).isFalse();
            assertThatThrownBy(() -> withMine.add(definition("two"))).isInstanceOf(IllegalStateException.class);
        } finally {
            mine.shutdownNow();
        }
    }
}
