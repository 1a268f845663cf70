package dev.tend.observe.metrics;

import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.Agent;
import dev.tend.machine.testing.TestWatcherFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the metrics tests run a real agent on: an agent, not yet started, on a machines directory under a test's
 * temporary directory, and door machines (closed --open--> opened --close--> closed, a test watcher while open).
 */
final class TestAgents {

    private TestAgents() {
    }

    /** Writes the door machine {@code name} in {@code machines/name/machine.yaml}. */
    static void writeDoor(Path machines, String name) throws IOException {
        Files.createDirectories(machines.resolve(name));
        Files.writeString(machines.resolve(name).resolve("machine.yaml"), """
                name: %s
                version: "1.0.0"
                initial_state: closed
                transitions:
                  - name: open
                    from: [closed]
                    destination: opened
                  - name: close
                    from: [opened]
                    destination: closed
                watchers:
                  - name: sensor
                    type: test
                    state_match: [opened]
                    properties:
                      message: draught
                """.formatted(name));
    }

    /**
     * An agent (identity {@code node}, state in {@code tmp/state}, the test watcher type) on the machines of
     * {@code machines}, read once: no file system watch, no permission checks. Not started.
     */
    static Agent agent(Path tmp, Path machines) {
        return Agent.builder(MachineSettings.builder().stateDirectory(tmp.resolve("state")).identity("node")
                        .watchers(WatcherRegistry.of(List.of(new TestWatcherFactory()))).build())
                .machines(machines).strictPermissions(false).watchFileSystem(false).build();
    }
}
