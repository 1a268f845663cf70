package dev.tend.watchers.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectorySwapTest {

    @TempDir
    Path dir;

    @Test
    void createsTheTargetPrivatelyWhenMissing() throws Exception {
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        Path fresh = Files.createDirectory(scratch.resolve("m"));
        Files.writeString(fresh.resolve("new"), "new");
        Path target = dir.resolve("target");

        DirectorySwap.swap(fresh, target, "m", scratch);

        assertThat(target.resolve("m/new")).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwx------");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void replacesTheOldDirectoryAndRemovesIt() throws Exception {
        Path target = Files.createDirectory(dir.resolve("target"));
        Files.createDirectory(target.resolve("m"));
        Files.writeString(target.resolve("m/old"), "old");
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        Path fresh = Files.createDirectory(scratch.resolve("new-m"));
        Files.writeString(fresh.resolve("new"), "new");

        DirectorySwap.swap(fresh, target, "m", scratch);

        assertThat(target.resolve("m/new")).hasContent("new");
        assertThat(target.resolve("m/old")).doesNotExist();
        assertThat(scratch.resolve("previous")).doesNotExist();
    }

    @Test
    void putsTheOldDirectoryBackWhenTheNewOneCannotBeRenamedIn() throws Exception {
        Path target = Files.createDirectory(dir.resolve("target"));
        Files.createDirectory(target.resolve("m"));
        Files.writeString(target.resolve("m/old"), "old");
        Path scratch = Files.createDirectory(dir.resolve("scratch"));

        assertThatThrownBy(() -> DirectorySwap.swap(scratch.resolve("gone"), target, "m", scratch))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessageStartingWith("rename into " + target.resolve("m") + " failed: ");
        assertThat(target.resolve("m/old")).hasContent("old");
    }
}
