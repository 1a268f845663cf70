package dev.tend.watchers.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A whole deployment from {@code file://} archives into a real target directory. */
class ArchiveInstallerTest {

    private static final FetchSettings FETCH = new FetchSettings(Duration.ofSeconds(30), null, null, false,
            ArchiveLimits.DEFAULT.archiveBytes());

    @TempDir
    Path dir;

    private final ArchiveInstaller installer = new ArchiveInstaller(new SourceFetcher("test"));

    @Test
    void deploysIntoAnEmptyTargetAndThenVerifies() throws Exception {
        Path target = dir.resolve("machines");
        ArchiveSpec spec = spec(machine("v1"), target);
        assertThat(installer.check(spec).kind()).isEqualTo(InstalledState.Kind.NO_CREATES);

        installer.deploy(spec);

        assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
        assertThat(installer.check(spec)).isEqualTo(InstalledState.VERIFIED);
        assertThat(list(target.resolve("tmp"))).isEmpty();
    }

    @Test
    void replacesTheDirectoryInPlace() throws Exception {
        Path target = dir.resolve("machines");
        installer.deploy(spec(machine("v1"), target));
        Files.writeString(target.resolve("m/left-over"), "from v1");

        installer.deploy(spec(machine("v2"), target));

        assertThat(target.resolve("m/machine.yaml")).hasContent("version: v2");
        assertThat(target.resolve("m/left-over")).doesNotExist();
        assertThat(list(target)).containsExactlyInAnyOrder(target.resolve("m"), target.resolve("tmp"));
        assertThat(list(target.resolve("tmp"))).isEmpty();
    }

    @Test
    void checkReportsWhatIsWrongInPlace() throws Exception {
        Path target = dir.resolve("machines");
        ArchiveSpec spec = spec(machine("v1"), target);
        installer.deploy(spec);

        Files.writeString(target.resolve("m/machine.yaml"), "tampered");
        InstalledState changed = installer.check(spec);
        assertThat(changed.kind()).isEqualTo(InstalledState.Kind.VERIFY_FAILED);
        assertThat(changed.detail()).isEqualTo("contents did not pass verification: machine.yaml (mismatch)");

        Files.delete(target.resolve("m/SHA256SUMS"));
        assertThat(installer.check(spec).kind()).isEqualTo(InstalledState.Kind.NO_CHECKSUMS);
    }

    @Test
    void aWrongChecksumChangesNothing() throws Exception {
        Path target = dir.resolve("machines");
        installer.deploy(spec(machine("v1"), target));
        Archive v2 = machine("v2");
        ArchiveSpec wrong = new ArchiveSpec(v2.source(), "0".repeat(64), "m", target, "SHA256SUMS", v2.sumsSha(),
                FETCH, ArchiveLimits.DEFAULT);

        assertThatThrownBy(() -> installer.deploy(wrong))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("archive checksum " + v2.sha() + " does not match " + "0".repeat(64));
        assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
        assertThat(list(target.resolve("tmp"))).isEmpty();
    }

    @Test
    void aTarballWithDotDotChangesNothing() throws Exception {
        Path target = dir.resolve("machines");
        installer.deploy(spec(machine("v1"), target));
        Path evil = new Tarball().dir("m", 0755).file("m/../../escaped", "x").writeTo(dir.resolve("evil.tgz"));

        assertThatThrownBy(() -> installer.deploy(new ArchiveSpec(evil.toUri().toString(), Sha256.of(evil), "m",
                target, null, null, FETCH, ArchiveLimits.DEFAULT)))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("archive entry 'm/../../escaped' has '..' in its name");
        assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
        assertThat(dir.resolve("escaped")).doesNotExist();
        assertThat(list(target.resolve("tmp"))).isEmpty();
    }

    @Test
    void contentsThatFailVerificationAreNotSwappedIn() throws Exception {
        Path target = dir.resolve("machines");
        installer.deploy(spec(machine("v1"), target));
        String sums = sha("version: v2") + "  machine.yaml\n";
        Path bad = new Tarball().dir("m", 0755).file("m/machine.yaml", "version: v3")
                .file("m/SHA256SUMS", sums).writeTo(dir.resolve("bad.tgz"));

        assertThatThrownBy(() -> installer.deploy(new ArchiveSpec(bad.toUri().toString(), Sha256.of(bad), "m",
                target, "SHA256SUMS", sha(sums), FETCH, ArchiveLimits.DEFAULT)))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("contents did not pass verification: machine.yaml (mismatch)");
        assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
        assertThat(list(target.resolve("tmp"))).isEmpty();
    }

    @Test
    void anArchiveWithoutTheDirectoryIsRefused() throws Exception {
        Path target = dir.resolve("machines");
        Path other = new Tarball().dir("other", 0755).file("other/x", "x").writeTo(dir.resolve("other.tgz"));

        assertThatThrownBy(() -> installer.deploy(new ArchiveSpec(other.toUri().toString(), Sha256.of(other), "m",
                target, null, null, FETCH, ArchiveLimits.DEFAULT)))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("archive has no directory m");
        assertThat(list(target)).containsExactly(target.resolve("tmp"));
        assertThat(list(target.resolve("tmp"))).isEmpty();
    }

    @Test
    void anUnreachableSourceChangesNothing() throws Exception {
        Path target = dir.resolve("machines");
        installer.deploy(spec(machine("v1"), target));

        assertThatThrownBy(() -> installer.deploy(new ArchiveSpec(dir.resolve("gone.tgz").toUri().toString(),
                "0".repeat(64), "m", target, null, null, FETCH, ArchiveLimits.DEFAULT)))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessageEndingWith("gone.tgz is not a regular file");
        assertThat(target.resolve("m/machine.yaml")).hasContent("version: v1");
        assertThat(list(target.resolve("tmp"))).isEmpty();
    }

    @Test
    void specRefusesWhatTheReferenceRefuses() {
        assertThatThrownBy(() -> new ArchiveSpec("file:///x", "", "m", dir, null, null, FETCH, ArchiveLimits.DEFAULT))
                .hasMessage("checksum is required");
        assertThatThrownBy(() -> new ArchiveSpec("file:///x", "ab", "m", dir, "SUMS", null, FETCH,
                ArchiveLimits.DEFAULT))
                .hasMessage("verify and verify_checksum go together");
        assertThatThrownBy(() -> new ArchiveSpec("file:///x", "ab", "../m", dir, null, null, FETCH,
                ArchiveLimits.DEFAULT))
                .hasMessage("creates must be one directory name (not tmp), got '../m'");
    }

    private record Archive(String source, String sha, String sumsSha) {
    }

    /** A machine directory {@code m} with a {@code SHA256SUMS} file, packed as a file:// source. */
    private Archive machine(String version) throws Exception {
        String yaml = "version: " + version;
        String sums = sha(yaml) + "  machine.yaml\n";
        Path archive = new Tarball().dir("m", 0755).file("m/machine.yaml", yaml).file("m/SHA256SUMS", sums)
                .writeTo(dir.resolve(version + ".tgz"));
        return new Archive(archive.toUri().toString(), Sha256.of(archive), sha(sums));
    }

    private static ArchiveSpec spec(Archive archive, Path target) {
        return new ArchiveSpec(archive.source(), archive.sha(), "m", target, "SHA256SUMS", archive.sumsSha(), FETCH,
                ArchiveLimits.DEFAULT);
    }

    private String sha(String content) throws IOException {
        Path file = Files.createTempFile(dir, "sha", ".txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            return Sha256.of(file);
        } finally {
            Files.delete(file);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.toList();
        }
    }
}
