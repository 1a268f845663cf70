package dev.tend.watchers.file;

import ch.qos.logback.classic.Level;
import dev.tend.machine.testing.LogCapture;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Noop mode: a managed file that would be written is logged, not written, and reported changed. */
class FileNoopTest {

    @TempDir
    Path machineDir;
    @TempDir
    Path stateDir;

    private FileMachine f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aFileThatWouldBeWrittenIsLoggedAndLeftAsItIs() throws Exception {
        f = new FileMachine(machineDir, stateDir, "files-noop");
        f.noop = true;
        Path file = machineDir.resolve("managed.conf");
        try (LogCapture log = LogCapture.of("dev.tend.machine.files-noop.conf")) {
            f.start("watching", TestMachines.watcher("conf", "file").property("path", "managed.conf")
                    .property("contents", "a=1\n").property("mode", "0644"));
            f.scheduler.advance(Duration.ofSeconds(5));

            assertThat(file).doesNotExist();
            assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen");
            assertThat(log.lines(Level.INFO)).containsOnlyOnce("noop: would write " + file
                    + " (it was missing) (machine files-noop watcher conf)");

            f.scheduler.advance(Duration.ofSeconds(30));
            assertThat(f.timeline()).as("as after a real write: the same file is not reported again")
                    .containsExactly("00:00:05 changed", "00:00:05 -> seen");
            Files.writeString(file, "other\n");
            f.scheduler.advance(Duration.ofSeconds(5));
            assertThat(f.timeline()).as("a file changed since is reported again, as a real watcher would rewrite it")
                    .containsExactly("00:00:05 changed", "00:00:05 -> seen", "00:00:40 changed");
            assertThat(file).hasContent("other\n");
        }
        try (var files = Files.list(machineDir)) {
            assertThat(files).as("no temporary file either").containsExactly(machineDir.resolve("managed.conf"));
        }
    }
}
