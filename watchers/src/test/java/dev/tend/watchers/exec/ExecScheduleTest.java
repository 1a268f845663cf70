package dev.tend.watchers.exec;

import dev.tend.machine.testing.FixedRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When commands run: intervals, the initial splay, state changes, inactivity and serialised runs, on manual time. */
@ResourceLock(value = "dev.tend.machine.m.check", mode = ResourceAccessMode.READ)
class ExecScheduleTest {

    private static final String COUNT = "#!/bin/sh\necho run >> runs.txt\n";

    @TempDir
    Path root;

    private static String watcher(String common, String... properties) {
        StringBuilder s = new StringBuilder("  - name: check\n    type: exec\n");
        for (String line : common.split("\n")) {
            if (!line.isBlank()) {
                s.append("    ").append(line).append('\n');
            }
        }
        s.append("    properties:\n");
        for (String p : properties) {
            s.append("      ").append(p).append('\n');
        }
        return s.toString();
    }

    private static long runs(ExecMachine m) {
        return lines(m.dir.resolve("runs.txt"));
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object previousOutcome(ExecMachine m) {
        return m.machine().status().watchers().get(0).state().get("previous_outcome");
    }

    @Test
    void runsEveryIntervalCountedFromTheEndOfEachRun() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root)) {
            m.script("count.sh", COUNT);
            m.start(watcher("interval: 1m", "command: ./count.sh"));
            assertThat(m.manual().nextDelay()).as("the first run after one interval").contains(Duration.ofMinutes(1));
            assertThat(runs(m)).isZero();

            m.manual().advance(Duration.ofMinutes(1));
            m.await("the first run", () -> runs(m) == 1 && m.states().size() == 1);
            m.await("the interval re-armed after the run",
                    () -> m.manual().nextDelay().equals(Optional.of(Duration.ofMinutes(1))));

            m.manual().advance(Duration.ofSeconds(59));
            assertThat(runs(m)).isEqualTo(1);
            m.manual().advance(Duration.ofSeconds(1));
            m.await("the second run", () -> runs(m) == 2 && m.states().size() == 2);
            assertThat(m.states().get(1).fields()).containsEntry("previous_outcome", "success");
        }
    }

    @Test
    void gatherInitialStateRunsFirstAfterARandomSplayBelowThirtySeconds() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root)) {
            m.script("count.sh", COUNT);
            m.start(watcher("interval: 1h", "command: ./count.sh", "gather_initial_state: true"),
                    m.settings().withRandom(new FixedRandom(0.5)::nextLong));
            assertThat(m.manual().nextDelay()).contains(Duration.ofSeconds(15));

            m.manual().advance(Duration.ofSeconds(15));
            m.await("the first run", () -> runs(m) == 1);
            m.await("then every interval", () -> m.manual().nextDelay().equals(Optional.of(Duration.ofHours(1))));
        }
    }

    @Test
    void withoutAnIntervalItRunsOnlyOnStateChangesAndSkipsWhenInactive() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root)) {
            m.script("count.sh", COUNT);
            m.start(watcher("state_match: [running]", "command: ./count.sh"));
            assertThat(m.manual().pending()).as("no timer").isZero();
            m.manual().advance(Duration.ofHours(1));
            assertThat(runs(m)).isZero();
            assertThat(previousOutcome(m)).isEqualTo("unknown");

            m.machine().transition("start");
            m.await("a run on entering running", () -> runs(m) == 1 && m.states().size() == 1);

            m.machine().transition("rest");
            m.await("the change to idle is skipped", () -> "skipped".equals(previousOutcome(m)));
            assertThat(runs(m)).isEqualTo(1);
            assertThat(m.states()).as("a skipped run publishes nothing").hasSize(1);
        }
    }

    @Test
    void anIntervalRunWhileInactiveIsSkippedAndTheIntervalGoesOn() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root)) {
            m.script("count.sh", COUNT);
            m.start(watcher("state_match: [running]\ninterval: 1m", "command: ./count.sh"));
            m.manual().advance(Duration.ofMinutes(1));
            m.await("skipped", () -> "skipped".equals(previousOutcome(m)));
            m.await("re-armed", () -> m.manual().nextDelay().equals(Optional.of(Duration.ofMinutes(1))));
            assertThat(runs(m)).isZero();
            assertThat(m.states()).isEmpty();
        }
    }

    @Test
    void stateChangesDuringARunBecomeOneMoreRunAfterIt() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root)) {
            m.script("slow.sh", """
                    #!/bin/sh
                    echo started >> started.txt
                    while [ ! -f release ]; do sleep 0.02; done
                    rm release
                    echo run >> runs.txt
                    """);
            m.start(watcher("state_match: [running]", "command: ./slow.sh"));
            Path started = m.dir.resolve("started.txt");

            m.machine().transition("start");
            m.await("the first run started", () -> lines(started) == 1);
            for (String event : new String[] {"rest", "start", "rest", "start"}) {
                m.machine().transition(event);
            }
            m.machine().status(); // answered through the watcher's call queue: every poke before it was delivered
            Files.writeString(m.dir.resolve("release"), "");
            m.await("the first run ended", () -> runs(m) == 1);
            m.await("one more run started", () -> lines(started) == 2);
            assertThat(m.machine().state()).isEqualTo("running");
            Files.writeString(m.dir.resolve("release"), "");
            m.await("it ended", () -> runs(m) == 2);

            // Runs are serialised: had the four changes queued four runs, this one would wait behind a blocked run.
            m.machine().transition("rest");
            m.await("the change to idle is skipped", () -> "skipped".equals(previousOutcome(m)));
            assertThat(lines(started)).isEqualTo(2);
            assertThat(runs(m)).isEqualTo(2);
        }
    }

    @Test
    void stopCancelsTheInterval() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root)) {
            m.script("count.sh", COUNT);
            m.start(watcher("interval: 1m", "command: ./count.sh"));
            assertThat(m.manual().pending()).isEqualTo(1);
            m.machine().stop();
            assertThat(m.manual().pending()).isZero();
            m.manual().advance(Duration.ofMinutes(5));
            assertThat(runs(m)).isZero();
        }
    }
}
