package dev.tend.watchers.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reference's own test data: "test content" and the sums file {@code sha256sum} makes for it. */
class ContentVerifierTest {

    private static final String TEST_TXT = "6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff72";
    private static final String SUMS = TEST_TXT + "  test.txt\n";
    private static final String SUMS_SHA = "40cb790b7199be45f3116354f87b2bdc3aa520a1eb056aa3608911cf40d1f821";

    @TempDir
    Path dir;

    @BeforeEach
    void good() throws Exception {
        Files.writeString(dir.resolve("test.txt"), "test content");
        Files.writeString(dir.resolve("SHA256SUMS"), SUMS);
    }

    @Test
    void passesWhenEveryListedFileMatches() {
        assertThatCode(() -> ContentVerifier.verify(dir, "SHA256SUMS", SUMS_SHA)).doesNotThrowAnyException();
        assertThatCode(() -> ContentVerifier.verify(dir, "SHA256SUMS", SUMS_SHA.toUpperCase()))
                .doesNotThrowAnyException();
    }

    @Test
    void ignoresFilesTheSumsDoNotList() throws Exception {
        Files.writeString(dir.resolve("extra"), "not listed");
        assertThatCode(() -> ContentVerifier.verify(dir, "SHA256SUMS", SUMS_SHA)).doesNotThrowAnyException();
    }

    @Test
    void failsOnAChangedFile() throws Exception {
        Files.writeString(dir.resolve("test.txt"), "changed");
        assertThatThrownBy(() -> ContentVerifier.verify(dir, "SHA256SUMS", SUMS_SHA))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("contents did not pass verification: test.txt (mismatch)");
    }

    @Test
    void failsOnAMissingFile() throws Exception {
        Files.delete(dir.resolve("test.txt"));
        assertThatThrownBy(() -> ContentVerifier.verify(dir, "SHA256SUMS", SUMS_SHA))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("contents did not pass verification: test.txt (missing)");
    }

    @Test
    void failsWhenTheSumsFileIsNotTheOneExpected() {
        assertThatThrownBy(() -> ContentVerifier.verify(dir, "SHA256SUMS", "x"))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("checksums file SHA256SUMS has checksum " + SUMS_SHA + ", expected x");
    }

    @Test
    void failsWithoutTheSumsFile() throws Exception {
        Files.delete(dir.resolve("SHA256SUMS"));
        assertThatThrownBy(() -> ContentVerifier.verify(dir, "SHA256SUMS", SUMS_SHA))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("checksums file SHA256SUMS does not exist in " + dir);
    }

    @Test
    void refusesAMalformedLine() throws Exception {
        String sums = SUMS + "\nnot-a-line\n";
        Files.writeString(dir.resolve("SHA256SUMS"), sums);
        String sha = Sha256.of(dir.resolve("SHA256SUMS"));
        assertThatThrownBy(() -> ContentVerifier.verify(dir, "SHA256SUMS", sha))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("invalid sums file SHA256SUMS: malformed line 3");
    }

    @Test
    void failsOnNamesOutsideTheDirectoryAndAcceptsTheBinaryMarker() throws Exception {
        Files.writeString(dir.getParent().resolve("outside-" + dir.getFileName()), "test content");
        String sums = TEST_TXT + " *test.txt\n" + TEST_TXT + "  ../outside-" + dir.getFileName() + "\n";
        Files.writeString(dir.resolve("SHA256SUMS"), sums);
        String sha = Sha256.of(dir.resolve("SHA256SUMS"));
        try {
            assertThatThrownBy(() -> ContentVerifier.verify(dir, "SHA256SUMS", sha))
                    .isInstanceOf(ArchiveFailure.class)
                    .hasMessage("contents did not pass verification: ../outside-" + dir.getFileName()
                            + " (outside)");
        } finally {
            Files.delete(dir.getParent().resolve("outside-" + dir.getFileName()));
        }
    }
}
