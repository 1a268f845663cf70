package dev.tend.watchers.exec;

import dev.tend.governor.Claim;
import dev.tend.governor.Governor;
import dev.tend.governor.GovernorConfig;
import dev.tend.governor.Governors;
import dev.tend.governor.Lease;
import dev.tend.kv.KvStore;
import dev.tend.machine.event.WatcherStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exec's {@code governor} and {@code governor_timeout} through the runtime: real machines, a real embedded store as
 * the agent's, real commands. Two machines sharing a governor of one slot never run their commands at once (measured
 * from the times the commands write); a run without a slot in time is an error; a stop gives up the wait.
 */
@ResourceLock(value = "dev.tend.machine.m.check", mode = ResourceAccessMode.READ_WRITE)
class ExecGovernorTest {

    @TempDir
    Path root;

    private KvStore store;
    private Governors governors;

    @BeforeEach
    void open() {
        store = KvStore.builder().directory(root.resolve("kv")).build();
        governors = Governors.builder(store).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** An exec watcher running {@code command} every 500ms (always active), with these extra properties. */
    private static String everyHalfSecond(String command, String... properties) {
        StringBuilder s = new StringBuilder("""
                  - name: check
                    type: exec
                    interval: 500ms
                    properties:
                """);
        s.append("          command: ").append(command).append('\n');
        for (String p : properties) {
            s.append("          ").append(p).append('\n');
        }
        return s.toString();
    }

    @Test
    void twoMachinesSharingAOneSlotGovernorNeverRunTogether() throws Exception {
        governors.add("shared", new GovernorConfig(1, Duration.ofHours(1)), 1);
        Path marks = Files.createDirectories(root.resolve("marks"));
        try (ExecMachine a = ExecMachine.realTime(root.resolve("a")).store(store).facts(Map.of("pool", "shared"));
             ExecMachine b = ExecMachine.realTime(root.resolve("b")).store(store).facts(Map.of("pool", "shared"))) {
            for (ExecMachine m : List.of(a, b)) {
                Path file = marks.resolve(m == a ? "a" : "b");
                m.script("run.sh", "#!/bin/sh\necho \"start $(date +%s%N)\" >> " + file + "\nsleep 0.3\necho \"end"
                        + " $(date +%s%N)\" >> " + file + "\n");
                m.start(everyHalfSecond("./run.sh", "governor: '{{ lookup \"facts.pool\" \"none\" }}'",
                        "governor_timeout: 1m"));
            }
            a.await("each machine ran its command 4 times",
                    () -> runs(marks.resolve("a")) >= 4 && runs(marks.resolve("b")) >= 4);
            a.machine().stop();
            b.machine().stop();
        }

        List<long[]> spans = new ArrayList<>();
        spans.addAll(spans(marks.resolve("a")));
        spans.addAll(spans(marks.resolve("b")));
        assertThat(mostAtOnce(spans)).as("commands running at once").isEqualTo(1);
        assertThat(governors.governor("shared").claims()).as("every slot released").isEmpty();
    }

    @Test
    void aRunWithoutASlotInTimeIsAnErrorAndRunsNothing() throws Exception {
        Governor g = governors.add("full", new GovernorConfig(1, Duration.ofHours(1)), 1);
        Lease held = g.tryEnter("someone else").orElseThrow();
        try (ExecMachine m = ExecMachine.realTime(root).store(store)) {
            m.script("ran.sh", "#!/bin/sh\ntouch ran\n");
            m.start(ExecRunTest.watcher("command: ./ran.sh", "governor: full", "governor_timeout: 1s"));

            m.machine().transition("start");
            m.awaitState("failed");

            WatcherStateEvent event = m.states().get(0);
            assertThat(event.fields()).containsEntry("previous_outcome", "error").doesNotContainKey("exit_code");
            assertThat(m.dir.resolve("ran")).doesNotExist();

            held.release();
            m.machine().transition("start");
            m.awaitState("passed");
            assertThat(m.dir.resolve("ran")).exists();
            assertThat(g.claims()).isEmpty();
        }
    }

    @Test
    void anUnknownGovernorIsAnError() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root).store(store)) {
            m.start(ExecRunTest.watcher("command: /bin/true", "governor: nope"));

            m.machine().transition("start");

            m.awaitState("failed");
            assertThat(m.states().get(0).fields()).containsEntry("previous_outcome", "error");
        }
    }

    @Test
    void aStopGivesUpTheWaitForASlot() throws Exception {
        Governor g = governors.add("full", new GovernorConfig(1, Duration.ofHours(1)), 1);
        g.tryEnter("someone else").orElseThrow();
        try (ExecMachine m = ExecMachine.realTime(root).store(store)) {
            m.script("ran.sh", "#!/bin/sh\ntouch ran\n");
            m.start(ExecRunTest.watcher("command: ./ran.sh", "governor: full", "governor_timeout: 1h"));
            m.machine().transition("start");
            m.await("the run waits for the governor", () -> m.machine().state().equals("running"));

            m.machine().stop(); // returns once the run's waiting work has ended

            assertThat(m.states()).as("a stop reports nothing").isEmpty();
            assertThat(m.dir.resolve("ran")).doesNotExist();
            assertThat(g.claims()).extracting(Claim::holder).containsExactly("someone else");
        }
    }

    private static int runs(Path file) {
        try {
            return (int) Files.readAllLines(file).stream().filter(l -> l.startsWith("end ")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The file's start/end pairs, in nanoseconds since the epoch. */
    private static List<long[]> spans(Path file) throws IOException {
        List<long[]> spans = new ArrayList<>();
        long start = -1;
        for (String line : Files.readAllLines(file)) {
            long at = Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            if (line.startsWith("start ")) {
                start = at;
            } else if (start >= 0) {
                spans.add(new long[] {start, at});
                start = -1;
            }
        }
        return spans;
    }

    private static int mostAtOnce(List<long[]> spans) {
        List<long[]> events = new ArrayList<>();
        for (long[] s : spans) {
            events.add(new long[] {s[0], 1});
            events.add(new long[] {s[1], -1});
        }
        events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int open = 0;
        int most = 0;
        for (long[] e : events) {
            open += (int) e[1];
            most = Math.max(most, open);
        }
        return most;
    }
}
