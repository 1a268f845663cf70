package dev.tend.watchers.nagios;

import dev.tend.watchers.process.ProcessTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When checks run: the interval, FORCE_CHECK, maintenance, and a plugin that hangs. */
class NagiosScheduleTest {

    private static final String HEARTBEAT = "properties: {builtin: heartbeat}";

    @TempDir
    Path root;

    @Test
    void aPluginThatHangsIsKilledWithItsProcessGroupAndIsUnknown() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "hang")) {
            m.script("hang.sh", "#!/bin/sh\nsleep 1000 &\necho $! > grandchild.pid\necho $$ > child.pid\n"
                    + "echo 'still going'\nwait\n");
            m.start("interval: 1m", "properties: {plugin: ./hang.sh, timeout: 5s}");
            m.machine().transition("OK");
            m.await("both pids are written", () -> pidWritten(m.dir.resolve("child.pid"))
                    && pidWritten(m.dir.resolve("grandchild.pid")));
            long child = pid(m.dir.resolve("child.pid"));
            long grandchild = pid(m.dir.resolve("grandchild.pid"));
            assertThat(alive(child)).isTrue();
            assertThat(alive(grandchild)).isTrue();

            m.await("the check's timeout set", () -> m.manual.pendingDelays().contains(Duration.ofSeconds(5)));
            m.manual.advance(Duration.ofSeconds(5));
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("UNKNOWN");
            assertThat(event).containsEntry("status", "UNKNOWN").containsEntry("status_code", 3)
                    .containsEntry("output", "UNKNOWN: the plugin timed out after 5s; its processes were killed\n"
                            + "still going");
            m.await("the plugin and its child are gone", () -> !alive(child) && !alive(grandchild));
        }
    }

    @Test
    void withoutAnIntervalOnlyForceCheckChecks() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "force")) {
            m.start(HEARTBEAT);
            m.manual.advance(Duration.ofHours(1));
            m.manual.runDue();
            assertThat(m.states()).isEmpty();
            m.machine().transition("FORCE_CHECK");
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("OK");
            assertThat(event).containsEntry("plugin", "heartbeat").containsEntry("status", "OK")
                    .containsEntry("output", Long.toString(m.manual.now().getEpochSecond()));
        }
    }

    @Test
    void ticksCheckEveryIntervalWhileActive() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "ticks")) {
            m.start("interval: 10s", HEARTBEAT);
            m.awaitCheck(1);
            m.awaitState("OK");
            m.manual.advance(Duration.ofSeconds(10));
            m.awaitCheck(2);
            assertThat(m.states()).hasSize(2);
        }
    }

    @Test
    void maintenanceStopsChecksAndResumeForcesOne() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "maint")) {
            m.start("interval: 10s", HEARTBEAT);
            m.awaitCheck(1);
            m.awaitState("OK");
            m.machine().transition("MAINTENANCE");
            for (int i = 0; i < 3; i++) {
                m.manual.advance(Duration.ofSeconds(10));
                m.manual.runDue();
            }
            assertThat(m.states()).hasSize(1);
            assertThat(m.machine().state()).isEqualTo("MAINTENANCE");

            m.machine().transition("RESUME"); // MAINTENANCE -> FORCE_CHECK, outside state_match: checked all the same
            m.awaitCheck(2);
            m.awaitState("OK");
        }
    }

    @Test
    void aForcedCheckIgnoresTheIntervalGuard() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "guard")) {
            m.start("interval: 1h", HEARTBEAT);
            m.awaitCheck(1);
            m.awaitState("OK");
            m.machine().transition("FORCE_CHECK");
            m.awaitCheck(2);
            m.awaitState("OK");
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    private static boolean pidWritten(Path file) {
        try {
            return Files.readString(file).matches("\\d+\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static long pid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }
}
