package dev.tend.kv.backup;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreMode;
import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A backup holds the bucket's values, so its files are created as the store's are: owner-only unless shared. */
class BackupFileModesTest {

    @TempDir
    Path tmp;

    @Test
    void ownerOnlyByDefaultForTheGroupWhenAsked() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("unix"), "a file system with modes");
        try (KvStore store = KvStore.builder().directory(tmp.resolve("store")).build()) {
            Bucket b = store.create(BucketConfig.builder("CFG").build());
            b.put("password", "s3cret");
            Path owner = tmp.resolve("backups/owner");
            BucketBackup.write(b, owner);
            assertModes(owner, 0600, 0700);
            Path group = tmp.resolve("group");
            BucketBackup.write(b, group, false, StoreMode.GROUP);
            assertModes(group, 0660, 02770);
            BucketBackup.write(b, owner, true);
            assertModes(owner, 0600, 0700);
        }
    }

    private static void assertModes(Path dir, int file, int directory) throws Exception {
        assertThat(mode(dir)).isEqualTo(FileModes.octal(directory));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).hasSize(2).allSatisfy(f -> assertThat(mode(f)).as("%s", f)
                    .isEqualTo(FileModes.octal(file)));
        }
    }

    private static String mode(Path p) {
        try {
            return FileModes.octal((Integer) Files.getAttribute(p, "unix:mode") & 07777);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
