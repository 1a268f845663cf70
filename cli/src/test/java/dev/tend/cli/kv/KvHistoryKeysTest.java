package dev.tend.cli.kv;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KvHistoryKeysTest {

    private static final String TIME = "\\d\\d [A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d UTC";

    @TempDir
    Path tmp;
    KvCli cli;

    @BeforeEach
    void setUp() {
        cli = new KvCli(tmp.resolve("kv"));
        cli.kv("add", "CFG");
    }

    @Test
    void historyIsATableOldestFirstWithMarkers() {
        cli.kv("put", "CFG", "username", "myservice");
        cli.kv("del", "CFG", "username", "-f");
        KvCli.Result r = cli.kv("history", "CFG", "username");
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches(""
                + "\\+-----\\+-----------\\+---------------------\\+--------\\+-----------\\+\n"
                + "\\| SEQ \\| OPERATION \\| TIME                \\| LENGTH \\| VALUE     \\|\n"
                + "\\+-----\\+-----------\\+---------------------\\+--------\\+-----------\\+\n"
                + "\\| 1   \\| PUT       \\| " + TIME + " \\| 9      \\| myservice \\|\n"
                + "\\| 2   \\| DEL       \\| " + TIME + " \\| 0      \\|           \\|\n"
                + "\\+-----\\+-----------\\+---------------------\\+--------\\+-----------\\+\n");
    }

    @Test
    void longValuesAreShortenedInTheMiddle() {
        String value = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
        cli.kv("put", "CFG", "k", value);
        String out = cli.kv("history", "CFG", "k").out();
        assertThat(out).contains("| 46     | abcdefghijklmno...56789ABCDEFGHIJ |");
    }

    @Test
    void historyJsonIsAnArrayOfEntries() {
        cli.kv("put", "CFG", "k", "v");
        cli.kv("purge", "CFG", "k", "-f");
        cli.kv("put", "CFG", "k", "w");
        String out = cli.kv("history", "CFG", "k", "--json").out();
        assertThat(out).startsWith("[\n  {\n    \"bucket\": \"CFG\",\n    \"key\": \"k\",\n    \"revision\": 2,")
                .contains("\"operation\": \"PURGE\"", "\"operation\": \"PUT\"", "\"value\": \"w\"")
                .endsWith("}\n]\n");
    }

    @Test
    void historyOfAnUnknownKeyIsNotFound() {
        KvCli.Result r = cli.kv("history", "CFG", "nope");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tend: unknown key \"nope\" in bucket CFG\n");
    }

    @Test
    void keysAreSortedOnePerLineAndFilterable() {
        assertThat(cli.kv("keys", "CFG").out()).isEmpty();
        assertThat(cli.kv("keys", "CFG").code()).isZero();
        assertThat(cli.kv("keys", "CFG", "--json").out()).isEqualTo("[ ]\n");
        cli.kv("put", "CFG", "users.b.name", "1");
        cli.kv("put", "CFG", "users.a.name", "1");
        cli.kv("put", "CFG", "users.a.mail", "1");
        cli.kv("put", "CFG", "gone", "1");
        cli.kv("del", "CFG", "gone", "-f");
        assertThat(cli.kv("keys", "CFG").out()).isEqualTo("users.a.mail\nusers.a.name\nusers.b.name\n");
        assertThat(cli.kv("keys", "CFG", "users.*.name").out()).isEqualTo("users.a.name\nusers.b.name\n");
        assertThat(cli.kv("keys", "CFG", "users.a.>", "--json").out())
                .isEqualTo("[\n  \"users.a.mail\",\n  \"users.a.name\"\n]\n");
    }

    @Test
    void aBadFilterIsAUsageError() {
        KvCli.Result r = cli.kv("keys", "CFG", "users.>.x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: invalid filter").hasLineCount(1);
        assertThat(cli.kv("keys", "NOPE").code()).isEqualTo(1);
    }
}
