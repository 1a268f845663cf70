package dev.tend.cli.kv;

import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --store-mode} (and its environment variable) sets the modes of what {@code tend kv} creates. */
class KvStoreModeTest {

    @TempDir
    Path tmp;
    KvCli cli;

    @BeforeEach
    void setUp() {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("unix"), "a file system with modes");
        cli = new KvCli(tmp.resolve("kv"));
        cli.env.put("HOME", tmp.resolve("home").toString());
    }

    @Test
    void ownerOnlyUnlessTheGroupIsAskedFor() throws IOException {
        assertThat(cli.kv("add", "CFG").code()).isZero();
        assertThat(mode(cli.dir)).isEqualTo("0700");
        assertThat(mode(cli.dir.resolve("CFG/log-1.tkv"))).isEqualTo("0600");

        assertThat(cli.kv("--store-mode", "group", "add", "SHARED").code()).isZero();
        assertThat(mode(cli.dir.resolve("SHARED"))).isEqualTo("2770");
        assertThat(mode(cli.dir.resolve("SHARED/config.json"))).isEqualTo("0660");

        cli.env.put("TEND_STORE_MODE", "group");
        assertThat(cli.kv("add", "ENV").code()).isZero();
        assertThat(mode(cli.dir.resolve("ENV/head"))).isEqualTo("0660");

        KvCli.Result wrong = cli.kv("--store-mode", "all", "add", "X");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).isEqualTo("tend: --store-mode must be owner or group, not \"all\"\n");
    }

    @Test
    void checkReportsAFileMoreOpenThanTheStoreModeAndExits1() throws IOException {
        assertThat(cli.kv("add", "CFG").code()).isZero();
        assertThat(cli.kv("put", "CFG", "password", "s3cret").code()).isZero();
        Path log = cli.dir.resolve("CFG/log-1.tkv");
        Files.setPosixFilePermissions(log, FileModes.permissions(0644));
        KvCli.Result r = cli.kv("check", "CFG");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("problem: " + log + " has mode 0644, more open than 0600 (store mode owner); "
                + "fix: chmod 0600 " + log + "\n").endsWith("1 problem\n");
        KvCli.Result asGroup = cli.kv("--store-mode", "group", "check", "CFG");
        assertThat(asGroup.code()).as(asGroup.toString()).isEqualTo(1);
        assertThat(asGroup.out()).contains("more open than 0660 (store mode group)");
    }

    private static String mode(Path p) throws IOException {
        return FileModes.octal((Integer) Files.getAttribute(p, "unix:mode") & 07777);
    }
}
