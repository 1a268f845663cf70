package dev.tend.watchers.file;

import ch.qos.logback.classic.Level;
import dev.tend.machine.testing.LogCapture;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Content management with real files: what is written, when it is rewritten, and what fails. */
@ResourceLock(value = "dev.tend.machine.files.conf", mode = ResourceAccessMode.READ_WRITE)
class FileContentTest {

    private static final Instant OLD = Instant.parse("2023-06-01T00:00:00Z");

    @TempDir
    Path machineDir;
    @TempDir
    Path stateDir;

    private FileMachine f;
    private Path file;
    private String me;
    private String myGroup;

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        // A machine name of its own: a previous test's machine may still log as it stops, and captures listen by name.
        f = new FileMachine(machineDir, stateDir,
                FileMachine.NAME + "-" + test.getTestMethod().orElseThrow().getName());
        file = machineDir.resolve("managed.conf");
        PosixFileAttributes dir = Files.readAttributes(machineDir, PosixFileAttributes.class);
        me = dir.owner().getName();
        myGroup = dir.group().getName();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private TestMachines.WatcherBuilder managed(String contents, String mode) {
        return TestMachines.watcher("conf", "file").property("path", "managed.conf").property("contents", contents)
                .property("owner", me).property("group", myGroup).property("mode", mode);
    }

    private void advanceSeconds(long seconds) {
        f.scheduler.advance(Duration.ofSeconds(seconds));
    }

    private String mode() throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private List<String> machineDirFiles() throws IOException {
        try (Stream<Path> files = Files.list(machineDir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void aMissingFileIsWrittenFromTheTemplatesWithItsMode() throws Exception {
        f.data("{\"who\": \"tend\"}");
        f.start("watching", managed("hello {{ lookup \"data.who\" \"world\" }}\n", "0640"));
        advanceSeconds(5);

        assertThat(Files.readString(file)).isEqualTo("hello tend\n");
        assertThat(mode()).isEqualTo("rw-r-----");
        assertThat(Files.getOwner(file).getName()).isEqualTo(me);
        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen");
        assertThat(machineDirFiles()).as("no temporary file left").containsExactly("managed.conf");
    }

    @Test
    void aFileAsWantedIsLeftAlone() throws Exception {
        f.start("watching", managed("a=1\n", "644"));
        advanceSeconds(5);
        FileTime written = Files.getLastModifiedTime(file);
        advanceSeconds(20);

        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
        assertThat(mode()).isEqualTo("rw-r--r--");
        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen");
        assertThat(f.watcherState()).containsEntry("previous_outcome", "unchanged");
    }

    @Test
    void theFirstCheckRewritesEvenAFileAsWantedUnlessItsTimeWasGathered() throws Exception {
        Files.writeString(file, "a=1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(file, FileTime.from(OLD));
        f.start("watching", managed("a=1\n", "0644"));
        advanceSeconds(5);
        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen");
        assertThat(Files.getLastModifiedTime(file).toInstant()).isAfter(OLD);
    }

    @Test
    void withGatherInitialStateAFileAsWantedIsUnchanged() throws Exception {
        Files.writeString(file, "a=1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(file, FileTime.from(OLD));
        f.start("watching", managed("a=1\n", "0644").property("gather_initial_state", true));
        advanceSeconds(10);

        assertThat(f.timeline()).isEmpty();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(OLD);
    }

    @Test
    void aDifferentModeIsPutRight() throws Exception {
        f.start("watching", managed("a=1\n", "0600"));
        advanceSeconds(5);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        advanceSeconds(5);

        assertThat(mode()).isEqualTo("rw-------");
        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen", "00:00:10 changed");
    }

    @Test
    void aDifferentContentIsPutRightEvenWithTheSameModificationTime() throws Exception {
        f.start("watching", managed("a=1\n", "0600"));
        advanceSeconds(5);
        FileTime written = Files.getLastModifiedTime(file);
        Files.writeString(file, "a=2\n");
        Files.setLastModifiedTime(file, written);
        advanceSeconds(5);

        assertThat(Files.readString(file)).isEqualTo("a=1\n");
        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen", "00:00:10 changed");
    }

    @Test
    void aTouchedFileIsRewrittenEvenIfItsContentIsRight() throws Exception {
        f.start("watching", managed("a=1\n", "0600"));
        advanceSeconds(5);
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(60)));
        advanceSeconds(5);

        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen", "00:00:10 changed");
    }

    @Test
    void aTemplateErrorIsAnErrorAndWritesNothing() throws Exception {
        f.start("watching", managed("{{ lookup }}", "0600"));
        advanceSeconds(5);

        assertThat(f.timeline()).startsWith("00:00:05 error");
        assertThat(f.machine.state()).isEqualTo("gone");
        assertThat(machineDirFiles()).isEmpty();
    }

    @Test
    void aModeThatRendersEmptyOrWrongIsAnError() throws Exception {
        f.start("watching", managed("a=1\n", "{{ lookup \"data.mode\" \"\" }}"));
        advanceSeconds(5);
        assertThat(f.machine.state()).isEqualTo("gone");
        assertThat(machineDirFiles()).isEmpty();
    }

    @Test
    void aModeFromDataIsUsed() throws Exception {
        f.data("{\"mode\": \"0604\"}");
        f.start("watching", managed("a=1\n", "{{ lookup \"data.mode\" \"\" }}"));
        advanceSeconds(5);
        assertThat(mode()).isEqualTo("rw----r--");
    }

    @Test
    void anUnknownOwnerIsAnErrorAndLeavesNoTemporaryFile() throws Exception {
        f.start("watching", managed("a=1\n", "0600").property("owner", "no-such-user-tend"));
        advanceSeconds(5);

        assertThat(f.machine.state()).isEqualTo("gone");
        assertThat(machineDirFiles()).isEmpty();
    }

    @Test
    void anOwnerOrGroupThatRendersEmptyLeavesOwnershipAlone() throws Exception {
        f.start("watching", managed("a=1\n", "0600").property("owner", "{{ lookup \"data.owner\" \"\" }}")
                .property("group", "no-such-group-tend"));
        advanceSeconds(5);

        assertThat(f.machine.state()).isEqualTo("seen");
        assertThat(Files.readString(file)).isEqualTo("a=1\n");
    }

    @Test
    void aFileInAMissingDirectoryIsAnErrorLoggedOnceWhileItLasts() throws Exception {
        try (LogCapture log = LogCapture.of("dev.tend.machine." + f.name + ".conf")) {
            f.start("watching", managed("a=1\n", "0600").property("path", "missing/managed.conf"));
            advanceSeconds(10);
            assertThat(log.lines(Level.WARN)).containsExactly("cannot write " + machineDir.resolve("missing/managed.conf")
                    + ": " + machineDir.resolve("missing") + " does not exist");
        }
        assertThat(f.timeline()).containsExactly("00:00:05 error", "00:00:05 error", "00:00:05 -> gone",
                "00:00:10 error");
        assertThat(f.watcherEvents().get(0)).containsEntry("path", machineDir.resolve("missing/managed.conf")
                .toString()).containsEntry("previous_outcome", "error");
    }

    @Test
    void asRootOwnerAndGroupAreSetAndKept() throws Exception {
        assumeTrue(isRoot(), "chown to another user needs root");
        f.start("watching", managed("a=1\n", "0640").property("owner", "nobody").property("group", "root"));
        advanceSeconds(5);
        PosixFileAttributes written = Files.readAttributes(file, PosixFileAttributes.class);
        assertThat(written.owner().getName()).isEqualTo("nobody");
        assertThat(written.group().getName()).isEqualTo("root");

        FileTime modified = written.lastModifiedTime();
        Files.setOwner(file, machineDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        Files.setLastModifiedTime(file, modified);
        advanceSeconds(5);

        assertThat(Files.getOwner(file).getName()).isEqualTo("nobody");
        assertThat(f.timeline()).containsExactly("00:00:05 changed", "00:00:05 -> seen", "00:00:10 changed");
    }
}
