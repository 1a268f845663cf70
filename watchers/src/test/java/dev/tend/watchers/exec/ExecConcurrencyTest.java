package dev.tend.watchers.exec;

import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.MachineGroup;
import dev.tend.machine.load.MachineLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a machine group whose blocking pool has one thread, commands that run long do not hold it: several exec watchers'
 * commands run at once, each waited for on a thread of its own, and the machines stop cleanly while they run.
 */
class ExecConcurrencyTest {

    private static final int MACHINES = 5;
    private static final String PREFIX = "tend-exectest";

    @TempDir
    Path root;

    @Test
    void severalCommandsRunAtOnceBesideAOneThreadBlockingPool() throws Exception {
        Path started = Files.createDirectories(root.resolve("started"));
        Path release = root.resolve("release");
        Path script = ExecMachine.script(root.resolve("bin/wait.sh"), """
                #!/bin/sh
                touch "$1"
                while [ ! -e "$2" ]; do sleep 0.05; done
                """);
        ExecSettings settings = ExecSettings.defaults().withTempDirectory(Files.createDirectories(root.resolve("tmp")));
        WatcherRegistry registry = WatcherRegistry.of(List.of(new ExecWatcherFactory(settings)));
        try (MachineGroup group = MachineGroup.create(MachineSettings.builder().identity("node").watchers(registry)
                .stateDirectory(root.resolve("state")).blockingThreads(1).build(), PREFIX)) {
            for (int i = 0; i < MACHINES; i++) {
                Path dir = Files.createDirectories(root.resolve("machines/m" + i));
                Files.writeString(dir.resolve("machine.yaml"), ExecMachine.HEAD.replace("name: m", "name: m" + i) + """
                          - name: wait
                            type: exec
                            interval: 500ms
                            properties:
                              command: %s %s %s
                              timeout: 1m
                        """.formatted(script, started.resolve("m" + i), release));
                group.add(new MachineLoader(registry).load(dir)).start();
            }
            await("every command running at once", () -> count(started) == MACHINES);
            assertThat(threads("blocking")).as("the bounded pool").isLessThanOrEqualTo(1);
            assertThat(threads("wait")).as("a thread waits for each command").isGreaterThanOrEqualTo(MACHINES);
            Files.createFile(release);
            await("the runs reported", () -> IntStream.range(0, MACHINES).allMatch(i ->
                    "success".equals(group.machine("m" + i).orElseThrow().status().watchers().get(0).state()
                            .get("previous_outcome"))));
        }
    }

    private static long count(Path dir) {
        try (var files = Files.list(dir)) {
            return files.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long threads(String pool) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(PREFIX + "-" + pool + "-")).count();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + ExecMachine.DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + ExecMachine.DEADLINE.toSeconds() + "s waiting until "
                        + what);
            }
            Thread.sleep(20);
        }
    }
}
