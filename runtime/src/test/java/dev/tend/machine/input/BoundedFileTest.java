package dev.tend.machine.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedFileTest {

    @TempDir
    Path dir;

    private final FileLimit limit = FileLimit.kibibytes(1, "a test file");

    @Test
    void aFileUpToTheLimitIsRead() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[1024]);
        assertThat(BoundedFile.read(file, limit)).hasSize(1024);
    }

    @Test
    void aLargerFileIsRefusedWithItsSizeAndTheLimit() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[1025]);
        assertThatThrownBy(() -> BoundedFile.read(file, limit))
                .isInstanceOfSatisfying(FileTooLargeException.class, e -> assertThat(e.size()).isEqualTo(1025))
                .hasMessage("1025 bytes is over the 1 KiB limit for a test file");
    }

    @Test
    void aDeviceWithoutASizeIsReadNoFurtherThanTheLimit() {
        Path zero = Path.of("/dev/zero");
        assertThatThrownBy(() -> BoundedFile.read(zero, limit)).isInstanceOf(FileTooLargeException.class)
                .hasMessage("1025 bytes is over the 1 KiB limit for a test file");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> BoundedFile.read(dir.resolve("missing"), limit))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void limitsAreWrittenAsPeopleWriteThem() {
        assertThat(FileLimit.mebibytes(1, "x").size()).isEqualTo("1 MiB");
        assertThat(FileLimit.kibibytes(64, "x").size()).isEqualTo("64 KiB");
        assertThat(new FileLimit(1000, "x").size()).isEqualTo("1000 bytes");
        assertThat(FileLimit.mebibytes(1, "a machine file").refusal(5242880))
                .isEqualTo("5242880 bytes is over the 1 MiB limit for a machine file");
    }
}
