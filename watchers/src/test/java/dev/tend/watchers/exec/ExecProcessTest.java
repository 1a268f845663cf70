package dev.tend.watchers.exec;

import dev.tend.watchers.process.ProcessTree;

import ch.qos.logback.classic.Level;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static dev.tend.watchers.exec.ExecMachine.alive;
import static dev.tend.watchers.exec.ExecMachine.pid;
import static dev.tend.watchers.exec.ExecMachine.pidWritten;
import static dev.tend.watchers.exec.ExecRunTest.watcher;
import static org.assertj.core.api.Assertions.assertThat;

/** Process trees: timeouts and stops end the command and what it started; disowned commands are left alone. */
@ResourceLock(value = "dev.tend.machine.m.check", mode = ResourceAccessMode.READ_WRITE)
class ExecProcessTest {

    /** Starts a grandchild that would run for long, writes both pids, and waits for it. */
    private static final String PARENT_OF_SLEEPER = """
            #!/bin/sh
            sleep 1000 &
            echo $! > grandchild.pid
            echo $$ > child.pid
            wait
            """;

    @TempDir
    Path root;

    private static long session(long pid) {
        return ProcessTree.Stat.read(Path.of("/proc/" + pid + "/stat")).orElseThrow().session();
    }

    @Test
    void aTimeoutKillsTheCommandAndItsGrandchild() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            m.script("parent.sh", PARENT_OF_SLEEPER);
            m.start(watcher("command: ./parent.sh", "timeout: 5s"));
            m.machine().transition("start");
            m.await("both pids are written", () -> pidWritten(m.dir.resolve("child.pid"))
                    && pidWritten(m.dir.resolve("grandchild.pid")));
            long child = pid(m.dir.resolve("child.pid"));
            long grandchild = pid(m.dir.resolve("grandchild.pid"));
            assertThat(alive(child)).isTrue();
            assertThat(alive(grandchild)).isTrue();
            assertThat(session(child)).as("the command leads a session of its own").isEqualTo(child);
            assertThat(session(grandchild)).isEqualTo(child);

            // The script may write its pids before the run has set its timeout on the scheduler: wait for it.
            m.await("the run's timeout set", () -> m.manual().pendingDelays().contains(Duration.ofSeconds(5)));
            m.manual().advance(Duration.ofSeconds(5));
            m.awaitState("failed");

            assertThat(alive(child)).as("the command").isFalse();
            assertThat(alive(grandchild)).as("its grandchild").isFalse();
            assertThat(m.states().get(0).fields()).containsEntry("previous_outcome", "error")
                    .doesNotContainKey("exit_code").containsEntry("timed_out", true);
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .contains(": timed out after 5s; its processes were killed");
        }
    }

    @Test
    void withoutSetsidATimeoutStillEndsTheCommandsDescendants() throws Exception {
        try (ExecMachine m = ExecMachine.manualTime(root)) {
            m.script("parent.sh", PARENT_OF_SLEEPER);
            m.start(watcher("command: ./parent.sh", "timeout: 5s"), m.settings().withSetsid(Optional.empty()));
            m.machine().transition("start");
            m.await("both pids are written", () -> pidWritten(m.dir.resolve("child.pid"))
                    && pidWritten(m.dir.resolve("grandchild.pid")));
            long child = pid(m.dir.resolve("child.pid"));
            long grandchild = pid(m.dir.resolve("grandchild.pid"));
            assertThat(session(child)).as("in the agent's session").isEqualTo(session(ProcessHandle.current().pid()));

            // The script may write its pids before the run has set its timeout on the scheduler: wait for it.
            m.await("the run's timeout set", () -> m.manual().pendingDelays().contains(Duration.ofSeconds(5)));
            m.manual().advance(Duration.ofSeconds(5));
            m.awaitState("failed");
            assertThat(alive(child)).isFalse();
            assertThat(alive(grandchild)).isFalse();
        }
    }

    @Test
    void backgroundProcessesOutliveTheRunWhetherOrNotTheyHoldItsOutput() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.script("leave.sh", """
                    #!/bin/sh
                    sleep 1000 &
                    echo $! > holds-output.pid
                    sleep 1000 > /dev/null 2>&1 &
                    echo $! > own-output.pid
                    echo started them
                    """);
            m.start(watcher("command: ./leave.sh", "timeout: 1h"));
            m.machine().transition("start");
            m.awaitState("passed");
            long holder = pid(m.dir.resolve("holds-output.pid"));
            long own = pid(m.dir.resolve("own-output.pid"));
            try {
                assertThat(alive(holder)).as("the run ends with the command; nothing it started is killed").isTrue();
                assertThat(alive(own)).isTrue();
                assertThat(m.states().get(0).fields()).containsEntry("exit_code", 0);
                m.machine().stop();
                assertThat(alive(holder)).as("nor by a stop after the run").isTrue();
            } finally {
                ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
                ProcessHandle.of(own).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void stopEndsAHungCommandThatIgnoresSigterm() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.script("stubborn.sh", "#!/bin/sh\ntrap '' TERM\n" + PARENT_OF_SLEEPER.substring("#!/bin/sh\n".length()));
            m.start(watcher("command: ./stubborn.sh", "timeout: 1h"));
            m.machine().transition("start");
            m.await("both pids are written", () -> pidWritten(m.dir.resolve("child.pid"))
                    && pidWritten(m.dir.resolve("grandchild.pid")));
            long child = pid(m.dir.resolve("child.pid"));
            long grandchild = pid(m.dir.resolve("grandchild.pid"));

            m.machine().stop(); // SIGTERM is ignored by both (sleep inherits the ignored signal), so SIGKILL after 2s

            assertThat(alive(child)).as("gone when stop returns").isFalse();
            assertThat(alive(grandchild)).as("gone when stop returns").isFalse();
            assertThat(m.states()).as("a run cut short by stop reports nothing").isEmpty();
            assertThat(m.machine().state()).isEqualTo("running");
            assertThat(m.tmp).isEmptyDirectory();
        }
    }

    @Test
    void aDisownedCommandSurvivesStopAndItsFilesGoWhenItEnds() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.script("daemon.sh", "#!/bin/sh\necho $$ > child.pid\nexec sleep 1000\n");
            m.start(watcher("command: ./daemon.sh", "disown: true"));
            m.machine().transition("start");
            m.await("the pid is written", () -> pidWritten(m.dir.resolve("child.pid")));
            long child = pid(m.dir.resolve("child.pid"));
            try {
                m.machine().stop();
                assertThat(alive(child)).as("left running").isTrue();
                assertThat(m.tmp).as("it may still read WATCHER_DATA").isNotEmptyDirectory();
            } finally {
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            }
            m.await("its files are removed once it ended", () -> {
                try (var entries = Files.list(m.tmp)) {
                    return entries.findAny().isEmpty();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(m.states()).isEmpty();
        }
    }

    @Test
    void aDisownedCommandsExitStatusStillDecides() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.start(watcher("command: sh -c 'exit 4'", "disown: true"));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(m.states().get(0).fields()).containsEntry("exit_code", 4);
            m.machine().transition("start");
            m.await("a second run", () -> m.states().size() == 2);
            m.awaitState("failed");
            assertThat(m.states().get(1).fields()).containsEntry("exit_code", 4);
        }
    }
}
