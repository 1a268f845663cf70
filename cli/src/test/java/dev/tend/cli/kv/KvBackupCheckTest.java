package dev.tend.cli.kv;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class KvBackupCheckTest {

    @TempDir
    Path tmp;
    KvCli cli;

    @BeforeEach
    void setUp() {
        cli = new KvCli(tmp.resolve("kv"));
        cli.kv("add", "CFG", "--history", "3", "--description", "settings");
        cli.kv("put", "CFG", "username", "myservice");
        cli.kv("put", "CFG", "password", "secret");
        cli.kv("del", "CFG", "password", "-f");
    }

    @Test
    void backupAndRestoreKeepEntriesRevisionsAndConfig() {
        Path dir = tmp.resolve("backup");
        KvCli.Result backup = cli.kv("backup", "CFG", dir.toString());
        assertThat(backup.code()).as(backup.toString()).isZero();
        assertThat(backup.out()).startsWith("Backed up bucket CFG to " + dir + ": 3 entries, ");

        KvCli other = new KvCli(tmp.resolve("kv2"));
        KvCli.Result restore = other.kv("restore", dir.toString());
        assertThat(restore.code()).as(restore.toString()).isZero();
        assertThat(restore.out()).isEqualTo("Restored bucket CFG from " + dir + ": 3 entries, last revision 3\n");
        assertThat(other.kv("get", "CFG", "username", "--raw").out()).isEqualTo("myservice");
        assertThat(other.kv("history", "CFG", "password", "--json").out())
                .contains("\"revision\": 2", "\"revision\": 3", "\"operation\": \"DEL\"");
        assertThat(other.kv("info", "CFG").out()).contains("     Description: settings\n", "         History: 3\n");
    }

    @Test
    void restoreUnderAnotherNameAndNotOverAnExistingBucket() {
        Path dir = tmp.resolve("backup");
        cli.kv("backup", "CFG", dir.toString());
        KvCli.Result clash = cli.kv("restore", dir.toString());
        assertThat(clash.code()).isEqualTo(3);
        assertThat(clash.err()).contains("already exists").hasLineCount(1);

        KvCli.Result renamed = cli.kv("restore", dir.toString(), "--bucket", "CFG2");
        assertThat(renamed.code()).as(renamed.toString()).isZero();
        assertThat(cli.kv("get", "CFG2", "username", "--json").out()).contains("\"bucket\": \"CFG2\"",
                "\"revision\": 1");
        assertThat(cli.kv("restore", dir.toString(), "--bucket", "bad.name").code()).isEqualTo(2);
    }

    @Test
    void restoreFromNothingIsNotFound() {
        KvCli.Result r = cli.kv("restore", tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("tend: no backup").hasLineCount(1);
        assertThat(cli.kv("backup", "NOPE", tmp.resolve("b").toString()).code()).isEqualTo(1);
    }

    @Test
    void checkReportsAHealthyBucket() {
        KvCli.Result r = cli.kv("check", "CFG");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).matches("(?s)(note: .*\n)*Bucket CFG: 3 records, \\d+ bytes checked, no damage found\n");
        assertThat(cli.kv("check", "NOPE").code()).isEqualTo(1);
    }

    @Test
    void checkFindsDamageAndExits1() throws IOException {
        Path log;
        try (Stream<Path> files = Files.list(cli.dir.resolve("CFG"))) {
            log = files.filter(p -> p.getFileName().toString().matches("log-\\d+\\.tkv")).findFirst().orElseThrow();
        }
        long size = Files.size(log);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            long at = size - 20;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }
        KvCli.Result r = cli.kv("check", "CFG");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("problem: ").contains("problem");
    }
}
