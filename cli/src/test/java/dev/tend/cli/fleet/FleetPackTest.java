package dev.tend.cli.fleet;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class FleetPackTest {

    @TempDir
    Path dir;

    private Path hello(FleetCli cli) throws IOException {
        Path machine = cli.machineDir("src/hello", FleetCli.HELLO);
        Files.writeString(machine.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(machine.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(machine.resolve("lib/deep"));
        Files.writeString(machine.resolve("lib/deep/data.txt"), "data\n");
        Files.createDirectories(machine.resolve("empty"));
        return machine;
    }

    @Test
    void theSameFilesGiveTheSameBytesWhateverTheirTimesAndOtherModeBits() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path machine = hello(cli);
        Path first = dir.resolve("first.tar.gz");
        Path second = dir.resolve("second.tar.gz");
        FleetCli.Result r = cli.fleet("pack", machine.toString(), "-o", first.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        try (var files = Files.walk(machine)) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L));
            }
        }
        Files.setPosixFilePermissions(machine.resolve("lib/deep/data.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(machine.resolve("run.sh"), PosixFilePermissions.fromString("rwx------"));
        r = cli.fleet("pack", machine.toString(), "-o", second.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void theArchiveHoldsOneDirectoryNamedAsTheMachineSortedWithFixedOwnersAndModes() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path machine = hello(cli);
        Path archive = dir.resolve("out/hello.tar.gz");
        FleetCli.Result r = cli.fleet("pack", machine.toString(), "-o", archive.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, TarArchiveEntry> entries = entries(archive);
        assertThat(entries.keySet()).containsExactly("hello/", "hello/SHA256SUMS", "hello/empty/", "hello/lib/",
                "hello/lib/deep/", "hello/lib/deep/data.txt", "hello/machine.yaml", "hello/run.sh");
        for (TarArchiveEntry e : entries.values()) {
            assertThat(e.getLastModifiedTime().toMillis()).isZero();
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getLongGroupId()).isZero();
            assertThat(e.getUserName()).isEmpty();
            assertThat(e.getGroupName()).isEmpty();
        }
        assertThat(entries.get("hello/run.sh").getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get("hello/machine.yaml").getMode() & 07777).isEqualTo(0644);
        assertThat(entries.get("hello/lib/").getMode() & 07777).isEqualTo(0755);
        byte[] gzip = Files.readAllBytes(archive);
        assertThat(gzip[3]).as("gzip flags: no file name").isZero();
        assertThat(new byte[] {gzip[4], gzip[5], gzip[6], gzip[7]}).as("gzip time").containsOnly(0);
    }

    @Test
    void theSumsFileListsEveryFileAndItsChecksumsArePrinted() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path machine = hello(cli);
        Files.writeString(machine.resolve("SHA256SUMS"), "stale\n"); // replaced by the one made
        Path archive = dir.resolve("hello.tar.gz");
        FleetCli.Result r = cli.fleet("pack", machine.toString(), "-o", archive.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        byte[] sums = content(archive, "hello/SHA256SUMS");
        assertThat(new String(sums, StandardCharsets.UTF_8)).isEqualTo(
                sha256(Files.readAllBytes(machine.resolve("lib/deep/data.txt"))) + "  lib/deep/data.txt\n"
                        + sha256(Files.readAllBytes(machine.resolve("machine.yaml"))) + "  machine.yaml\n"
                        + sha256(Files.readAllBytes(machine.resolve("run.sh"))) + "  run.sh\n");
        assertThat(r.out()).isEqualTo("Packed machine hello 1.0.0 into " + archive + " (" + Files.size(archive)
                + " bytes)\n"
                + "        checksum: " + sha256(Files.readAllBytes(archive)) + "\n"
                + " verify_checksum: " + sha256(sums) + "\n");
        // sha256sum itself accepts the file, inside the unpacked directory
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
        Process check = new ProcessBuilder("sha256sum", "--strict", "-c", "SHA256SUMS")
                .directory(unpacked.resolve("hello").toFile()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0).as(said).isTrue();
    }

    @Test
    void jsonGivesTheSameFigures() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path machine = hello(cli);
        Path archive = dir.resolve("hello.tar.gz");
        FleetCli.Result r = cli.fleet("pack", machine.toString(), "-o", archive.toString(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"name\": \"hello\"", "\"version\": \"1.0.0\"",
                "\"checksum\": \"" + sha256(Files.readAllBytes(archive)) + "\"",
                "\"verify_checksum\": \"" + sha256(content(archive, "hello/SHA256SUMS")) + "\"");
    }

    @Test
    void anInvalidMachineIsRefusedWithItsProblemsAndNothingIsWritten() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path machine = cli.machineDir("bad", FleetCli.HELLO.replace("fail_transition: tick",
                "fail_transition: tock"));
        Path archive = dir.resolve("bad.tar.gz");
        FleetCli.Result r = cli.fleet("pack", machine.toString(), "-o", archive.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                machine.resolve("machine.yaml") + ":12: watcher \"ticker\": unknown transition \"tock\" (did you mean "
                        + "\"tick\"?)",
                "tend: " + machine + " is not a valid machine (1 problem, listed above)");
        assertThat(archive).doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).doesNotContain("bad.tar.gz")
                    .noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aLinkIsRefusedNamingIt() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path machine = hello(cli);
        Files.createSymbolicLink(machine.resolve("passwd"), Path.of("/etc/passwd"));
        FleetCli.Result r = cli.fleet("pack", machine.toString(), "-o", dir.resolve("x.tar.gz").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("tend: cannot pack " + machine.resolve("passwd")
                + ": a symbolic link (the archive watcher extracts only regular files and directories)");
        assertThat(dir.resolve("x.tar.gz")).doesNotExist();
    }

    @Test
    void aDirectoryWithoutAMachineIsAClearError() {
        FleetCli cli = new FleetCli(dir);
        FleetCli.Result r = cli.fleet("pack", dir.resolve("nothing").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("tend: " + dir.resolve("nothing")
                + " is not a machine directory (a directory holding a machine.yaml)");
    }

    private static Map<String, TarArchiveEntry> entries(Path archive) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    private static byte[] content(Path archive, String name) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return tar.readAllBytes();
                }
            }
        }
        throw new AssertionError(name + " not in " + archive);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
