package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.TestWatcherFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A machine.yaml with test watchers, through the real loader and the engine: what end-to-end tests rely on. */
class LoadedMachineTest {

    @TempDir
    Path machineDir;
    @TempDir
    Path stateDir;

    private static final String MACHINE = """
            name: looped
            version: "1.0.0"
            initial_state: idle
            transitions:
              - {name: go, from: [idle], destination: busy}
              - {name: done, from: [busy], destination: idle}
            watchers:
              - name: starter
                type: test
                state_match: [idle]
                success_transition: go
                properties:
                  success_after: 2s
                  message: 'hello {{ lookup "data.who" "nobody" }}'
                  record: activity.log
                  tags: one
                  labels: {a: 1}
                  max_fires: "1"
              - name: finisher
                type: test
                state_match: [busy]
                fail_transition: done
                properties:
                  fail_after: 1s
                  data_key: who
                  data_value: finisher
                  record: activity.log
            """;

    @Test
    void aLoadedMachineRunsItsTestWatchers() throws Exception {
        Files.writeString(machineDir.resolve("machine.yaml"), MACHINE);
        EngineFixture f = new EngineFixture(stateDir);
        WatcherRegistry registry = WatcherRegistry.of(List.of(f.factory()));
        Machine m = Machines.create(new MachineLoader(registry).load(machineDir),
                f.environment().watchers(registry).build());
        m.start();
        f.scheduler.runDue();

        f.scheduler.advance(Duration.ofSeconds(2));
        assertThat(m.state()).isEqualTo("busy");
        f.scheduler.advance(Duration.ofSeconds(1));
        assertThat(m.state()).isEqualTo("idle");
        f.scheduler.advance(Duration.ofSeconds(10));
        assertThat(m.state()).as("max_fires: 1").isEqualTo("idle");
        m.stop();

        assertThat(Files.readAllLines(machineDir.resolve("activity.log")))
                .containsExactly("idle hello nobody", "busy", "idle hello finisher");
        assertThat(m.status().watchers().get(0).state()).containsEntry("tags", List.of("one"))
                .containsEntry("fires", 1);
    }

    @Test
    void theTestTypesOwnRulesAreLoadErrorsWithFileAndLine() throws Exception {
        Files.writeString(machineDir.resolve("machine.yaml"), MACHINE.replace("    success_transition: go\n", ""));
        MachineLoader loader = new MachineLoader(WatcherRegistry.of(List.of(new TestWatcherFactory())));

        assertThatThrownBy(() -> loader.load(machineDir)).isInstanceOf(MachineLoadException.class)
                .hasMessageEndingWith("machine.yaml:12: watcher \"starter\" property \"success_after\": "
                        + "needs a success_transition to fire");
    }
}
