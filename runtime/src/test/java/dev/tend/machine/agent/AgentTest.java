package dev.tend.machine.agent;

import ch.qos.logback.classic.Level;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.tend.machine.agent.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The agent against a real machines directory: loading, noticing changes, broken and duplicate machines, events. */
@ResourceLock(value = "dev.tend.machine.agent.Reconciler", mode = ResourceAccessMode.READ_WRITE)
class AgentTest {

    @TempDir
    Path tmp;

    private MachineDirs dirs;
    private ProbeWatchers probes;
    private Agent agent;

    @BeforeEach
    void setUp() {
        dirs = new MachineDirs(tmp.resolve("machines"));
        probes = new ProbeWatchers();
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.close();
        }
    }

    private Agent.Builder builder() {
        return Agent.builder(MachineSettings.builder()
                        .stateDirectory(tmp.resolve("state"))
                        .identity("test-node")
                        .watchers(probes.registry())
                        .build())
                .machines(dirs.root())
                .strictPermissions(false);
    }

    private Agent start(Agent.Builder builder) throws Exception {
        agent = builder.build();
        agent.start();
        return agent;
    }

    private List<String> names() {
        return agent.machines().stream().map(m -> m.definition().name()).toList();
    }

    private Optional<String> versionOf(String name) {
        return agent.machine(name).map(m -> m.definition().version());
    }

    @Test
    void loadsEveryMachineDirectoryAndSkipsTheOthers() throws Exception {
        dirs.add("b-dir", "bravo");
        dirs.add("a-dir", "alpha");
        dirs.add("tmp", "in_tmp");
        dirs.add(".hidden", "hidden");
        dirs.add("staging-temp", "staging");
        Files.writeString(dirs.root().resolve("not-a-directory"), "x");
        start(builder());
        assertThat(names()).containsExactly("alpha", "bravo");
        assertThat(agent.identity()).isEqualTo("test-node");
        await("watchers started", () -> probes.callNames("alpha").contains("start")
                && probes.callNames("bravo").contains("start"));
        Machine alpha = agent.machine("alpha").orElseThrow();
        assertThat(alpha.definition().directory()).isEqualTo(dirs.root().resolve("a-dir").toAbsolutePath());
    }

    @Test
    void createsAMissingMachinesDirectory() throws Exception {
        start(builder());
        assertThat(dirs.root()).isDirectory();
        assertThat(agent.machines()).isEmpty();
    }

    @Test
    void refusesAMachinesDirectoryThatIsAFile() throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        agent = builder().machines(tmp.resolve("file")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(agent::start)
                .isInstanceOf(AgentException.class)
                .hasMessage("the machines directory " + tmp.resolve("file") + " is not a directory");
    }

    @Test
    void noticesNewChangedAndRemovedMachinesThroughTheFileSystem() throws Exception {
        dirs.add("one", "one");
        // A long scan interval: only the file-system watch can make these pass in time.
        start(builder().scanInterval(Duration.ofHours(1)));
        assertThat(names()).containsExactly("one");
        noticesNewChangedAndRemoved();
    }

    @Test
    void noticesNewChangedAndRemovedMachinesByThePeriodicScanAlone() throws Exception {
        dirs.add("one", "one");
        start(builder().watchFileSystem(false).scanInterval(Duration.ofMillis(100)));
        assertThat(names()).containsExactly("one");
        noticesNewChangedAndRemoved();
    }

    @Test
    void aMachineWhoseFileIsRemovedIsDeletedWithItsHooksAsWhenItsDirectoryGoes() throws Exception {
        // `rm -r` removes the file before the directory: a scan in between must not stop the machine without its
        // delete hooks, which the directory's removal then could not run.
        Path file = dirs.add("one", "one");
        start(builder().watchFileSystem(false));
        String instance = agent.machine("one").orElseThrow().instanceId();
        await("its watcher started", () -> probes.calls("one").contains("start@" + instance));
        Files.delete(file);
        agent.rescan();
        assertThat(names()).isEmpty();
        assertThat(probes.calls("one")).contains("delete@" + instance);
    }

    private void noticesNewChangedAndRemoved() throws Exception {
        String firstInstance = agent.machine("one").orElseThrow().instanceId();
        await("its watcher started", () -> probes.calls("one").contains("start@" + firstInstance));
        dirs.add("two", "two");
        await("the new machine", () -> names().equals(List.of("one", "two")));

        dirs.write("one", MachineDirs.machine("one", "2.0.0"));
        await("the changed machine", () -> versionOf("one").equals(Optional.of("2.0.0")));
        assertThat(agent.machine("one").orElseThrow().instanceId()).isNotEqualTo(firstInstance);
        await("the old instance stopped", () -> probes.calls("one").contains("stop@" + firstInstance));
        assertThat(probes.calls("one")).doesNotContain("delete@" + firstInstance);

        String twoInstance = agent.machine("two").orElseThrow().instanceId();
        await("its watcher started", () -> probes.calls("two").contains("start@" + twoInstance));
        dirs.remove("two");
        await("the removed machine", () -> names().equals(List.of("one")));
        await("its delete hooks", () -> probes.calls("two").contains("delete@" + twoInstance));
    }

    @Test
    void aTouchedButUnchangedFileDoesNotReload() throws Exception {
        Path file = dirs.add("one", "one");
        start(builder());
        String instance = agent.machine("one").orElseThrow().instanceId();
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
        Files.writeString(file, Files.readString(file));
        agent.rescan();
        assertThat(agent.machine("one").orElseThrow().instanceId()).isEqualTo(instance);
    }

    @Test
    void aBrokenMachineIsReportedOnceAndLoadsWhenFixed() throws Exception {
        dirs.add("good", "good");
        Path broken = dirs.write("broken", MachineDirs.BROKEN);
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            start(builder());
            assertThat(names()).containsExactly("good");
            List<String> errors = log.lines(Level.ERROR);
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).startsWith("cannot load machine: " + broken.toAbsolutePath()).contains("nowhere");

            agent.rescan();
            agent.rescan();
            assertThat(log.lines(Level.ERROR)).as("reported once per content, not per scan").hasSize(1);
            assertThat(agent.failedLoads()).containsOnlyKeys("broken");
            assertThat(agent.failedLoads().get("broken")).singleElement().asString().contains("nowhere");

            dirs.write("broken", MachineDirs.BROKEN.replace("nowhere", "go"));
            await("the fixed machine", () -> names().equals(List.of("broken", "good")));
            assertThat(log.lines(Level.ERROR)).hasSize(1);
            await("no failure left", () -> agent.failedLoads().isEmpty());
        }
        assertThat(agent.machine("good").orElseThrow().state()).isEqualTo("idle");
    }

    @Test
    void aMachineThatBreaksIsStoppedAndReported() throws Exception {
        dirs.add("one", "one");
        start(builder());
        String instance = agent.machine("one").orElseThrow().instanceId();
        await("its watcher started", () -> probes.calls("one").contains("start@" + instance));
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            dirs.write("one", "name: one\nversion: [\n");
            await("the broken machine gone", () -> agent.machines().isEmpty());
            await("its watcher stopped", () -> probes.calls("one").contains("stop@" + instance));
            await("the error", () -> !log.lines(Level.ERROR).isEmpty());
            assertThat(log.lines(Level.WARN)).anyMatch(m -> m.startsWith("machine one stopped: "));
        }
    }

    @Test
    void aMachineFileOverTheLimitIsRefusedUnreadAndReportedOnce() throws Exception {
        dirs.add("good", "good");
        String big = MachineDirs.machine("big", "1.0.0") + "# " + "x".repeat(1024 * 1024) + "\n";
        Path file = dirs.write("big", big);
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            start(builder());
            agent.rescan();
            assertThat(names()).containsExactly("good");
            assertThat(log.lines(Level.ERROR)).containsExactly("cannot load machine: " + file.toAbsolutePath() + ": "
                    + Files.size(file) + " bytes is over the 1 MiB limit for a machine file");
        }
        dirs.add("big", "big");
        await("the machine once its file is small", () -> names().equals(List.of("big", "good")));
    }

    @Test
    void aDirectoryWithoutMachineYamlIsReportedOnce() throws Exception {
        Files.createDirectories(dirs.root().resolve("empty"));
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            start(builder());
            agent.rescan();
            assertThat(log.lines(Level.ERROR)).containsExactly("cannot load machine: "
                    + dirs.root().resolve("empty").toAbsolutePath() + ": no machine.yaml in the machine directory");
        }
        dirs.add("empty", "late");
        await("the machine once its file exists", () -> names().equals(List.of("late")));
    }

    @Test
    void theSecondOfTwoMachinesWithTheSameNameIsRefused() throws Exception {
        dirs.add("a", "same");
        dirs.add("b", "same");
        try (LogCapture log = LogCapture.of(Reconciler.class)) {
            start(builder());
            assertThat(names()).containsExactly("same");
            assertThat(agent.machine("same").orElseThrow().definition().directory())
                    .isEqualTo(dirs.root().resolve("a").toAbsolutePath());
            assertThat(log.lines(Level.ERROR)).containsExactly("cannot load machine: machine \"same\" in "
                    + dirs.root().resolve("b").toAbsolutePath() + " is refused: a machine of that name is already "
                    + "loaded from " + dirs.root().resolve("a").toAbsolutePath());
            agent.rescan();
            assertThat(log.lines(Level.ERROR)).hasSize(1);
        }
        // Once the first one goes, the second one runs.
        dirs.remove("a");
        await("the second machine", () -> agent.machine("same")
                .map(m -> m.definition().directory().endsWith("b")).orElse(false));
    }

    @Test
    void aTransitionIsForwardedToSubscribedMachines() throws Exception {
        dirs.add("leader", "leader");
        dirs.write("follower", MachineDirs.follower("follower", "leader", "go"));
        dirs.write("bystander", MachineDirs.follower("bystander", "leader", "back"));
        start(builder());
        List<MachineEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = agent.subscribe(events::add)) {
            assertThat(agent.machine("leader").orElseThrow().transition("go")).isEqualTo("busy");
            await("the follower's transition", () -> agent.machine("follower").orElseThrow().state()
                    .equals("followed"));
            assertThat(agent.machine("bystander").orElseThrow().state()).isEqualTo("waiting");
            await("both transition events", () -> events.stream().filter(e -> e instanceof TransitionEvent).count() == 2);
        }
        assertThat(events).filteredOn(e -> e instanceof TransitionEvent).map(Object::toString).containsExactly(
                "test-node leader transitioned via event go: idle => busy",
                "test-node follower transitioned via event follow: waiting => followed");
    }

    @Test
    void loadsAThousandMachines() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            dirs.add(String.format("m%04d", i), String.format("machine_%04d", i));
        }
        start(builder().scanInterval(Duration.ofHours(1)));
        assertThat(agent.machines()).hasSize(1_000);
        assertThat(agent.machines()).allSatisfy(m -> assertThat(m.state()).isEqualTo("idle"));
        await("every machine's watcher started", () -> agent.machines().stream()
                .allMatch(m -> m.status().startTime() != null));
        assertThat(agent.machine("machine_0999").orElseThrow().definition().directory().getFileName())
                .hasToString("m0999");
    }
}
