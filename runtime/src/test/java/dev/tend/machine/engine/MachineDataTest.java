package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.data.FactsFile;
import dev.tend.machine.testing.TestMachines;
import dev.tend.machine.testing.TestWatcherCall.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Machine data and templates as watchers see them, persisted in the state directory across machine instances. */
class MachineDataTest {

    @TempDir
    Path stateDir;
    @TempDir
    Path machineDir;

    private MachineDefinition counter() {
        return TestMachines.machine("counter", machineDir).initial("idle")
                .transition("go", "busy", "idle")
                .watcher(TestMachines.testWatcher("w")
                        .property("message", "seen {{ lookup \"data.seen\" \"nothing\" }} on {{ lookup \"facts.host\" \"?\" }}")
                        .property("data_key", "seen")
                        .property("record", "activity.log"))
                .build();
    }

    @Test
    void dataWrittenByAWatcherSurvivesAStopAndANewInstanceAndTemplatesReadItAndTheFacts() throws Exception {
        EngineFixture f = new EngineFixture(stateDir);
        Machine first = machineOf(f);
        first.start();
        f.scheduler.runDue();
        first.stop();

        Path dataFile = stateDir.resolve("machines/counter/machine_data.json");
        assertThat(dataFile).exists();
        assertThat(Files.readString(dataFile)).contains("\"seen\"", "seen nothing on web1");

        Machine second = machineOf(f);
        assertThat(second.instanceId()).isNotEqualTo(first.instanceId());
        second.start();
        f.scheduler.runDue();
        second.stop();

        assertThat(Files.readAllLines(machineDir.resolve("activity.log"))).containsExactly(
                "idle seen nothing on web1",
                "idle seen seen nothing on web1 on web1");
        assertThat(f.calls("w", Kind.ACTIVATED)).hasSize(2);
    }

    @Test
    void aLegacyDataFileInTheMachineDirectoryIsReadWhenThereIsNoneInTheStateDirectory() throws Exception {
        Files.writeString(machineDir.resolve("machine_data.json"), "{\"seen\": \"old\"}");
        EngineFixture f = new EngineFixture(stateDir);
        Machine m = machineOf(f);
        m.start();
        f.scheduler.runDue();
        m.stop();

        assertThat(Files.readAllLines(machineDir.resolve("activity.log"))).containsExactly("idle seen old on web1");
    }

    @Test
    void aPutOfTheDataTellsEveryStartedWatcherOfTheMachine() {
        EngineFixture f = new EngineFixture(stateDir);
        Machine m = f.create(TestMachines.machine("pair", machineDir).initial("idle")
                .transition("go", "busy", "idle")
                .watcher(TestMachines.testWatcher("reader"))
                .watcher(TestMachines.testWatcher("writer").property("data_key", "seen")).build());
        m.start();
        f.scheduler.runDue();
        assertThat(f.calls("reader", Kind.DATA_CHANGED)).as("the other watcher").hasSize(1);
        assertThat(f.calls("writer", Kind.DATA_CHANGED)).as("the writer too").hasSize(1);
        m.stop();
    }

    @Test
    void dataIsNotReadUntilAWatcherAsksForIt() {
        EngineFixture f = new EngineFixture(stateDir);
        Machine m = f.create(TestMachines.machine("quiet", machineDir).initial("idle")
                .transition("go", "busy", "idle")
                .watcher(TestMachines.testWatcher("w")).build());
        m.start();
        f.scheduler.runDue();
        m.stop();
        assertThat(stateDir.resolve("machines")).doesNotExist();
    }

    /** The agent's overrides file: templates' {@code o} read the machine's own entry, again when the file changes. */
    @Test
    void templatesReadTheMachinesOwnEntryInTheOverridesFile(@TempDir Path config) throws Exception {
        Path overrides = config.resolve("overrides.json");
        Files.writeString(overrides, "{\"counter\": {\"warn\": 15}, \"other\": {\"warn\": 99, \"crit\": 98}}");
        EngineFixture f = new EngineFixture(stateDir);
        MachineDefinition d = TestMachines.machine("counter", machineDir).initial("idle")
                .transition("go", "busy", "idle")
                .watcher(TestMachines.testWatcher("w")
                        .property("message", "-w {{ o \"warn\" 5 }} -c {{ o \"crit\" 10 }}")
                        .property("record", "activity.log"))
                .build();
        Machine m = Machines.create(d, f.environment().overrides(overrides, new FactsFile(overrides, "overrides")).build());
        m.start();
        f.scheduler.runDue();
        m.stop();
        Files.writeString(overrides, "{\"counter\": {\"warn\": 16, \"crit\": 30}}");
        Files.setLastModifiedTime(overrides, java.nio.file.attribute.FileTime.fromMillis(0));
        Machine again = Machines.create(d, f.environment().overrides(overrides, new FactsFile(overrides, "overrides")).build());
        again.start();
        f.scheduler.runDue();
        again.stop();

        assertThat(Files.readAllLines(machineDir.resolve("activity.log"))).containsExactly(
                "idle -w 15 -c 10", "idle -w 16 -c 30");
    }

    private Machine machineOf(EngineFixture f) {
        return Machines.create(counter(),
                f.environment().facts(() -> Map.of("host", "web1", "tags", List.of("a"))).build());
    }
}
