package dev.tend.watchers.exec;

import dev.tend.kv.KvStore;
import dev.tend.machine.Machine;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.watchers.process.ProcessTree;
import dev.tend.watchers.testing.MachineFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real machine with one exec watcher, for tests ({@link MachineFixture}): the machine on its own, real processes.
 * Time is real, or a {@link ManualScheduler} that the waits keep running ({@link #manual()}).
 *
 * <p>The machine: {@code idle --start--> running --passed/failed--> passed/failed --start--> running}, and {@code rest}
 * back to {@code idle} from anywhere but idle. Watchers are given as YAML list items.
 */
final class ExecMachine extends MachineFixture {

    static final String HEAD = """
            name: m
            version: 1.0.0
            initial_state: idle
            transitions:
              - {name: start, from: [idle, passed, failed], destination: running}
              - {name: passed, from: [running], destination: passed}
              - {name: failed, from: [running], destination: failed}
              - {name: rest, from: [running, passed, failed], destination: idle}
            watchers:
            """;

    final Path tmp;
    private Map<String, Object> facts = Map.of();
    private KvStore store;

    private ExecMachine(Path root, ManualScheduler manual) throws IOException {
        super(root, "m", manual);
        this.tmp = Files.createDirectories(root.resolve("tmp"));
    }

    static ExecMachine realTime(Path root) throws IOException {
        return new ExecMachine(root, null);
    }

    static ExecMachine manualTime(Path root) throws IOException {
        return new ExecMachine(root, new ManualScheduler());
    }

    /** Test settings: run files under {@link #tmp}, short graces. */
    ExecSettings settings() {
        return ExecSettings.defaults().withTempDirectory(tmp).withGraces(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    ExecMachine facts(Map<String, Object> value) {
        facts = value;
        return this;
    }

    /** The agent's store the machine gets (for governors); none by default. */
    ExecMachine store(KvStore value) {
        store = value;
        return this;
    }

    Machine start(String watchers) throws Exception {
        return start(watchers, settings());
    }

    /** Starts the machine of HEAD + {@code watchers} on its own and waits until its watchers run. */
    Machine start(String watchers, ExecSettings settings) throws Exception {
        return startAlone(HEAD + watchers, WatcherRegistry.of(List.of(new ExecWatcherFactory(settings))),
                environment -> {
                    if (store != null) {
                        KvStore given = store;
                        environment.store(() -> given);
                    }
                    environment.facts(() -> facts);
                });
    }

    void awaitStates(int count) {
        await(count + " state events (there are " + states().size() + ")", () -> states().size() >= count);
    }

    /** Whether the process runs (a zombie left unreaped by a container's pid 1 does not). */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    /** True once the file holds a whole pid line: a shell creates the file before it writes to it. */
    static boolean pidWritten(Path file) {
        return lineWritten(file) && read(file).matches("\\d+\n");
    }

    /** True once the file holds a whole line: a shell creates the file before it writes to it. */
    static boolean lineWritten(Path file) {
        return read(file).endsWith("\n");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // not there yet
        }
    }

    static long pid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }
}
