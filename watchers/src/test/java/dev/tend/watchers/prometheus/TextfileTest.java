package dev.tend.watchers.prometheus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole files, mode 0644, no temporary file left, nothing without the directory. */
class TextfileTest {

    private static final Logger LOG = LoggerFactory.getLogger(TextfileTest.class);

    @TempDir
    Path dir;

    @Test
    void writesReplacesAndDeletes() throws Exception {
        assertThat(Textfile.write(dir, "x.prom", "a 1\n", LOG)).isTrue();
        assertThat(Textfile.write(dir, "x.prom", "a 2\n", LOG)).isTrue();
        Path file = dir.resolve("x.prom");
        assertThat(file).hasContent("a 2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
        Textfile.delete(dir, "x.prom", LOG);
        assertThat(file).doesNotExist();
        Textfile.delete(dir, "x.prom", LOG); // nothing to delete: no failure
    }

    @Test
    void nothingIsWrittenWhileTheDirectoryIsMissing() {
        assertThat(Textfile.write(dir.resolve("missing"), "x.prom", "a 1\n", LOG)).isFalse();
        assertThat(dir.resolve("missing")).doesNotExist();
    }
}
