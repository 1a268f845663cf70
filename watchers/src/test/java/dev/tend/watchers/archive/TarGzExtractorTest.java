package dev.tend.watchers.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarGzExtractorTest {

    @TempDir
    Path dir;

    private final TarGzExtractor extractor = new TarGzExtractor(ArchiveLimits.DEFAULT);

    @Test
    void extractsFilesAndDirectoriesWithTheOwnersModeBits() throws Exception {
        Path archive = new Tarball()
                .dir("m", 0755)
                .file("m/machine.yaml", "name: m\n".getBytes(StandardCharsets.UTF_8), 0644)
                .file("m/check.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0750)
                .file("m/open", new byte[] {1}, 0666)
                .file("m/setuid", new byte[] {2}, 04755)
                .file("m/none", new byte[] {3}, 0000)
                .file("m/deep/er/file", "x")
                .dir("m/locked", 0555)
                .writeTo(dir.resolve("a.tgz"));
        Path parent = Files.createDirectory(dir.resolve("work"));

        Path out = extractor.extract(archive, parent);

        assertThat(out.getParent()).isEqualTo(parent);
        assertThat(mode(out)).isEqualTo("rwx------");
        assertThat(out.resolve("m/machine.yaml")).hasContent("name: m");
        assertThat(mode(out.resolve("m/machine.yaml"))).isEqualTo("rw-r--r--");
        assertThat(mode(out.resolve("m/check.sh"))).isEqualTo("rwxr-x---");
        assertThat(mode(out.resolve("m/open"))).isEqualTo("rw-r--r--");
        assertThat(mode(out.resolve("m/setuid"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(out.resolve("m/none"))).isEqualTo("rw-------");
        assertThat(mode(out.resolve("m/locked"))).isEqualTo("rwxr-xr-x");
        assertThat(out.resolve("m/deep/er/file")).hasContent("x");
        assertThat(mode(out.resolve("m/deep"))).isEqualTo("rwx------");
    }

    /** An archive made by the system's {@code tar} (GNU tar here): "./" names, its own headers. */
    @Test
    void extractsWhatTarMakesAndRefusesItsLinks() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src/m/sub"));
        Files.setPosixFilePermissions(dir.resolve("src"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(source.getParent().resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(source.getParent().resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(source.resolve("a-name-long-enough-to-need-an-extended-header-" + "x".repeat(120)), "long");
        Path archive = dir.resolve("tar.tgz");
        tar(archive, dir.resolve("src"), ".");
        Path parent = Files.createDirectory(dir.resolve("work"));

        Path out = extractor.extract(archive, parent);

        assertThat(mode(out)).isEqualTo("rwx------");
        assertThat(out.resolve("m/run.sh")).hasContent("#!/bin/sh");
        assertThat(mode(out.resolve("m/run.sh"))).isEqualTo("rwxr-x---");
        assertThat(out.resolve("m/sub/a-name-long-enough-to-need-an-extended-header-" + "x".repeat(120)))
                .hasContent("long");

        Files.createSymbolicLink(source.resolve("link"), Path.of("/etc/passwd"));
        Path withLink = dir.resolve("link.tgz");
        tar(withLink, dir.resolve("src"), "m");
        Path other = Files.createDirectory(dir.resolve("other"));
        assertThatThrownBy(() -> extractor.extract(withLink, other))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("archive entry 'm/sub/link' is a symbolic link, only regular files and directories are "
                        + "allowed");
        assertThat(entries(other)).isEmpty();
    }

    private static void tar(Path archive, Path in, String what) throws Exception {
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", in.toString(), what)
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(output).isZero();
    }

    @Test
    void refusesNamesWithDotDotAnywhere() throws Exception {
        assertRefused(new Tarball().dir("m", 0755).file("m/../../evil", "x"),
                "archive entry 'm/../../evil' has '..' in its name");
        assertRefused(new Tarball().file("m/a..b", "x"), "archive entry 'm/a..b' has '..' in its name");
    }

    @Test
    void refusesAbsoluteNames() throws Exception {
        assertRefused(new Tarball().file("/etc/evil", "x"), "archive entry '/etc/evil' is an absolute path");
    }

    @Test
    void refusesLinksDevicesAndFifos() throws Exception {
        assertRefused(new Tarball().dir("m", 0755).special("m/link", TarConstants.LF_SYMLINK, "/etc/passwd"),
                "archive entry 'm/link' is a symbolic link, only regular files and directories are allowed");
        assertRefused(new Tarball().file("m/a", "x").special("m/hard", TarConstants.LF_LINK, "m/a"),
                "archive entry 'm/hard' is a hard link, only regular files and directories are allowed");
        assertRefused(new Tarball().special("m/tty", TarConstants.LF_CHR, null),
                "archive entry 'm/tty' is a device, only regular files and directories are allowed");
        assertRefused(new Tarball().special("m/disk", TarConstants.LF_BLK, null),
                "archive entry 'm/disk' is a device, only regular files and directories are allowed");
        assertRefused(new Tarball().special("m/dirlink/", TarConstants.LF_SYMLINK, "/etc"),
                "archive entry 'm/dirlink/' is a symbolic link, only regular files and directories are allowed");
        assertRefused(new Tarball().special("m/pipe", TarConstants.LF_FIFO, null),
                "archive entry 'm/pipe' is a FIFO, only regular files and directories are allowed");
    }

    @Test
    void escapesControlCharactersInTheNameItShows() throws Exception {
        assertRefused(new Tarball().file("m/x\n..", "x"), "archive entry 'm/x\\x0a..' has '..' in its name");
    }

    @Test
    void refusesAnEntryOverTheLimitBeforeReadingIt() throws Exception {
        TarGzExtractor small = new TarGzExtractor(new ArchiveLimits(1 << 20, 1 << 20, 1000, 10));
        assertRefused(small, new Tarball().file("m/big", new byte[1001], 0644),
                "archive entry 'm/big' is 1001 bytes, over the limit of 1000");
    }

    @Test
    void refusesADecompressionBomb() throws Exception {
        TarGzExtractor small = new TarGzExtractor(new ArchiveLimits(1 << 20, 1 << 20, 8L << 20, 10));
        Tarball bomb = new Tarball().zeros("m/a", 600_000).zeros("m/b", 600_000);
        assertThat(bomb.bytes().length).isLessThan(10_000);
        assertRefused(small, bomb, "archive is over the limit of 1048576 bytes uncompressed");
    }

    @Test
    void refusesTooManyEntries() throws Exception {
        TarGzExtractor small = new TarGzExtractor(new ArchiveLimits(1 << 20, 1 << 20, 1000, 3));
        assertRefused(small, new Tarball().dir("m", 0755).file("m/1", "1").file("m/2", "2").file("m/3", "3"),
                "archive has more than 3 entries");
    }

    @Test
    void refusesAnArchiveOverTheCompressedLimit() throws Exception {
        TarGzExtractor small = new TarGzExtractor(new ArchiveLimits(100, 1 << 20, 1 << 20, 10));
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        Tarball tarball = new Tarball().file("m/noise", noise, 0644);
        assertRefused(small, tarball, "archive is " + tarball.bytes().length + " bytes, over the limit of 100");
    }

    @Test
    void refusesWhatIsNotAGzippedTar() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("work"));
        Path text = Files.writeString(dir.resolve("a.tgz"), "not an archive at all");
        assertThatThrownBy(() -> extractor.extract(text, parent))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessageStartingWith("archive extraction failed: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(entries(parent)).isEmpty();

        byte[] whole = new Tarball().file("m/a", new byte[100_000], 0644).bytes();
        Path truncated = dir.resolve("t.tgz");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> extractor.extract(truncated, parent))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessageStartingWith("archive extraction failed: ");
        assertThat(entries(parent)).isEmpty();
    }

    @Test
    void leavesNothingBehindWhenAnEntryLateInTheArchiveIsRefused() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("work"));
        Path archive = new Tarball().dir("m", 0755).file("m/a", "a").file("m/b", "b")
                .special("m/link", TarConstants.LF_SYMLINK, "a").writeTo(dir.resolve("a.tgz"));
        assertThatThrownBy(() -> extractor.extract(archive, parent)).isInstanceOf(ArchiveFailure.class);
        assertThat(entries(parent)).isEmpty();
    }

    private void assertRefused(Tarball tarball, String message) throws IOException {
        assertRefused(extractor, tarball, message);
    }

    private void assertRefused(TarGzExtractor with, Tarball tarball, String message) throws IOException {
        Path parent = Files.createDirectories(dir.resolve("work"));
        Path archive = tarball.writeTo(dir.resolve("a.tgz"));
        assertThatThrownBy(() -> with.extract(archive, parent))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage(message);
        assertThat(entries(parent)).isEmpty();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static java.util.List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }
}
