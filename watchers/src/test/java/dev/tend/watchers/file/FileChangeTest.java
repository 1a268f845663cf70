package dev.tend.watchers.file;

import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Change detection with real files; modification times are set explicitly, time moves by hand. */
@ResourceLock(value = "dev.tend.machine.files.conf", mode = ResourceAccessMode.READ)
class FileChangeTest {

    private static final Instant OLD = Instant.parse("2023-06-01T00:00:00Z");

    @TempDir
    Path machineDir;
    @TempDir
    Path stateDir;

    private FileMachine f;
    private Path file;

    @BeforeEach
    void setUp() {
        f = new FileMachine(machineDir, stateDir);
        file = machineDir.resolve("hvac.json");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static TestMachines.WatcherBuilder watcher() {
        return TestMachines.watcher("variables", "file").property("path", "hvac.json");
    }

    private void write(Instant modified) throws Exception {
        Files.writeString(file, "{}");
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private void advanceSeconds(long seconds) {
        f.scheduler.advance(Duration.ofSeconds(seconds));
    }

    @Test
    void theFirstCheckOneIntervalAfterStartReportsAnExistingFileAsChanged() throws Exception {
        write(OLD);
        f.start("watching", watcher());
        advanceSeconds(4);
        assertThat(f.timeline()).isEmpty();
        assertThat(f.watcherState()).containsEntry("previous_outcome", "unknown");

        advanceSeconds(1);
        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen");
        assertThat(f.watcherEvents()).containsExactly(java.util.Map.of("path", file.toString(),
                "previous_outcome", "changed"));

        advanceSeconds(20);
        assertThat(f.timeline()).as("unchanged is quiet").hasSize(2);
        assertThat(f.watcherState()).containsEntry("previous_outcome", "unchanged");
    }

    @Test
    void aNewerModificationTimeIsAChangeAnOlderOneIsNot() throws Exception {
        write(OLD);
        f.start("watching", watcher());
        advanceSeconds(5);
        Files.setLastModifiedTime(file, FileTime.from(OLD.plusSeconds(60)));
        advanceSeconds(5);
        Files.setLastModifiedTime(file, FileTime.from(OLD.plusSeconds(30)));
        advanceSeconds(5);

        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen", "00:00:10 changed");
    }

    @Test
    void aMissingFileFailsAtEveryCheckAndItsReturnIsAChange() throws Exception {
        f.start("watching", watcher());
        advanceSeconds(15);
        // The transition to gone pokes the watcher, which checks again at once; a poke's events precede the
        // transition's own (the engine pokes, then publishes the transition), and gone -> gone emits no transition.
        assertThat(f.timeline()).containsExactly("00:00:05 error", "00:00:05 error", "00:00:05 -> gone",
                "00:00:10 error", "00:00:15 error");

        write(OLD); // older than anything seen: the missing file reset what was remembered
        advanceSeconds(5);
        assertThat(f.timeline()).endsWith("00:00:20 changed", "00:00:20 -> seen");
    }

    @Test
    void aFileThatDisappearsFails() throws Exception {
        write(OLD);
        f.start("watching", watcher());
        advanceSeconds(5);
        Files.delete(file);
        advanceSeconds(5);

        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen", "00:00:10 error",
                "00:00:10 error", "00:00:10 -> gone");
    }

    @Test
    void gatherInitialStateRemembersTheTimeAtStart() throws Exception {
        write(OLD);
        f.start("watching", watcher().property("gather_initial_state", true));
        advanceSeconds(10);
        assertThat(f.timeline()).isEmpty();
        assertThat(f.watcherState()).containsEntry("previous_outcome", "unchanged");

        Files.setLastModifiedTime(file, FileTime.from(OLD.plusSeconds(1)));
        advanceSeconds(5);
        assertThat(f.timeline()).containsExactly("00:00:15 changed", "00:00:15 -> seen");
    }

    @Test
    void gatherInitialStateOfAMissingFileStillFails() throws Exception {
        f.start("watching", watcher().property("gather_initial_state", true));
        advanceSeconds(5);
        assertThat(f.timeline()).containsExactly("00:00:05 error", "00:00:05 error", "00:00:05 -> gone");
    }

    @Test
    void theIntervalIsTheWatchersAndAnAbsolutePathIsUsedAsIs() throws Exception {
        Path elsewhere = Files.createTempDirectory(stateDir, "other").resolve("x.conf");
        f.start("watching", TestMachines.watcher("x", "file").property("path", elsewhere.toString())
                .interval(Duration.ofMillis(500)));
        f.scheduler.advance(Duration.ofMillis(1500));

        assertThat(f.timeline()).containsExactly("00:00:00.500 error", "00:00:00.500 error", "00:00:00.500 -> gone",
                "00:00:01 error", "00:00:01.500 error");
        assertThat(f.watcherEvents().get(0)).containsEntry("path", elsewhere.toString());
    }

    @Test
    void aStateChangeChecksAtOnce() throws Exception {
        write(OLD);
        f.start("paused", watcher());
        advanceSeconds(2);
        f.transition("resume");

        assertThat(f.timeline()).containsExactly("00:00:02 changed", "00:00:02 -> watching", "00:00:02 -> seen");
    }

    @Test
    void inactiveChecksAreSkippedAndKeepTheRememberedTime() throws Exception {
        write(OLD);
        f.start("paused", watcher());
        advanceSeconds(10);
        assertThat(f.timeline()).isEmpty();
        assertThat(f.watcherState()).containsEntry("previous_outcome", "skipped");

        f.transition("resume"); // 00:00:10: changed, then seen
        f.transition("pause");
        advanceSeconds(10);
        assertThat(f.watcherState()).containsEntry("previous_outcome", "skipped");
        f.transition("resume");
        advanceSeconds(10);

        assertThat(f.timeline()).as("no second change after the skipped checks (reference #1403)").containsExactly(
                "00:00:10 changed", "00:00:10 -> watching", "00:00:10 -> seen",
                "00:00:10 -> paused",
                "00:00:20 -> watching");
    }

    @Test
    void stopEndsTheChecks() throws Exception {
        f.start("watching", watcher());
        advanceSeconds(5);
        f.machine.stop();
        advanceSeconds(60);

        assertThat(f.timeline()).containsExactly("00:00:05 error", "00:00:05 error", "00:00:05 -> gone");
        assertThat(f.scheduler.pending()).isZero();
    }
}
