package dev.tend.cli.kv;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KvWriteReadTest {

    @TempDir
    Path tmp;
    KvCli cli;

    @BeforeEach
    void setUp() {
        cli = new KvCli(tmp.resolve("kv"));
        assertThat(cli.kv("add", "CFG").code()).isZero();
    }

    @Test
    void putPrintsTheValueAndGetShowsItWithAHeader() {
        KvCli.Result put = cli.kv("put", "CFG", "username", "myservice");
        assertThat(put.code()).isZero();
        assertThat(put.out()).isEqualTo("myservice\n");
        assertThat(put.err()).isEmpty();

        KvCli.Result get = cli.kv("get", "CFG", "username");
        assertThat(get.code()).isZero();
        assertThat(get.out()).matches("CFG > username revision 1 created @ \\d\\d [A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d UTC\n"
                + "\nmyservice\n");
    }

    @Test
    void rawWritesExactlyTheBytes() {
        cli.kv("put", "CFG", "username", "myservice");
        KvCli.Result raw = cli.kv("get", "CFG", "username", "--raw");
        assertThat(raw.outBytes()).isEqualTo("myservice".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dashReadsStdinBinarySafe() {
        byte[] binary = {0, 1, (byte) 0xff, '\n', 'x'};
        assertThat(cli.stdin(binary).kv("put", "CFG", "bin", "-").code()).isZero();
        assertThat(cli.kv("get", "CFG", "bin", "--raw").outBytes()).isEqualTo(binary);

        KvCli.Result shown = cli.kv("get", "CFG", "bin");
        assertThat(shown.out()).contains("(the value is not printable: 5 bytes shown as base64; use --raw for the"
                + " bytes)\n\nAAH/Cng=\n");

        KvCli.Result json = cli.kv("get", "CFG", "bin", "--json");
        assertThat(json.out()).contains("\"value_base64\": \"AAH/Cng=\"").doesNotContain("\"value\":");
    }

    @Test
    void multiLineTextIsShownAsText() {
        cli.stdin("{\n  \"a\": 1\n}\n".getBytes(StandardCharsets.UTF_8)).kv("put", "CFG", "config", "--", "-");
        assertThat(cli.kv("get", "CFG", "config").out()).endsWith("\n\n{\n  \"a\": 1\n}\n");
    }

    @Test
    void getJsonIsOneEntry() {
        cli.kv("put", "CFG", "username", "myservice");
        KvCli.Result json = cli.kv("get", "CFG", "username", "--json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).matches("(?s)\\{\n"
                + "  \"bucket\": \"CFG\",\n"
                + "  \"key\": \"username\",\n"
                + "  \"revision\": 1,\n"
                + "  \"created\": \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z\",\n"
                + "  \"delta\": 0,\n"
                + "  \"operation\": \"PUT\",\n"
                + "  \"value\": \"myservice\"\n"
                + "}\n");
    }

    @Test
    void getAtARevision() {
        cli.kv("put", "CFG", "k", "one");
        cli.kv("put", "CFG", "k", "two");
        assertThat(cli.kv("get", "CFG", "k", "--revision", "1", "--raw").out()).isEqualTo("one");
        KvCli.Result missing = cli.kv("get", "CFG", "k", "--revision", "9");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("tend: no value of key \"k\" at revision 9 in bucket CFG\n");
    }

    @Test
    void unknownAndDeletedKeysAreNotFound() {
        KvCli.Result unknown = cli.kv("get", "CFG", "username");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).isEqualTo("tend: unknown key \"username\" in bucket CFG\n");

        cli.kv("put", "CFG", "username", "x");
        cli.kv("del", "CFG", "username", "-f");
        KvCli.Result deleted = cli.kv("get", "CFG", "username");
        assertThat(deleted.code()).isEqualTo(1);
        assertThat(deleted.err()).isEqualTo("tend: unknown key \"username\" in bucket CFG\n");
    }

    @Test
    void unknownBucketIsNotFound() {
        KvCli.Result r = cli.kv("get", "NOPE", "k");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tend: unknown bucket NOPE\n");
        assertThat(cli.kv("put", "NOPE", "k", "v").code()).isEqualTo(1);
    }

    @Test
    void invalidNamesAndKeysAreUsageErrorsAndChangeNothing() {
        KvCli.Result badBucket = cli.kv("put", "C.F.G", "k", "v");
        assertThat(badBucket.code()).isEqualTo(2);
        assertThat(badBucket.err()).startsWith("tend: invalid bucket name \"C.F.G\"").hasLineCount(1);

        for (String key : new String[] {".k", "k.", "a..b", "a b", "a*"}) {
            KvCli.Result r = cli.kv("put", "CFG", key, "v");
            assertThat(r.code()).as(key).isEqualTo(2);
            assertThat(r.err()).as(key).startsWith("tend: invalid key").hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
        try (KvStore store = cli.store()) {
            assertThat(store.bucket("CFG").status().values()).isZero();
            assertThat(store.bucketNames()).containsExactly("CFG");
        }
    }

    @Test
    void missingArgumentsAreUsageErrors() {
        KvCli.Result r = cli.kv("put", "CFG", "k");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: missing required parameter").hasLineCount(1);
    }

    @Test
    void createOnlyWhenTheKeyHasNoValue() {
        assertThat(cli.kv("create", "CFG", "k", "v1").out()).isEqualTo("v1\n");
        KvCli.Result again = cli.kv("create", "CFG", "k", "v2");
        assertThat(again.code()).isEqualTo(3);
        assertThat(again.err()).isEqualTo("tend: key \"k\" already exists in bucket CFG (revision 1)\n");
        cli.kv("del", "CFG", "k", "-f");
        assertThat(cli.stdin("v3".getBytes(StandardCharsets.UTF_8)).kv("create", "CFG", "k", "-").code()).isZero();
        assertThat(cli.kv("get", "CFG", "k", "--raw").out()).isEqualTo("v3");
    }

    @Test
    void updateIsCompareAndSet() {
        cli.kv("put", "CFG", "k", "v1");
        assertThat(cli.kv("update", "CFG", "k", "v2", "--revision", "1").code()).isZero();
        KvCli.Result stale = cli.kv("update", "CFG", "k", "v3", "--revision", "1");
        assertThat(stale.code()).isEqualTo(3);
        assertThat(stale.err()).startsWith("tend: ").hasLineCount(1);
        assertThat(cli.kv("get", "CFG", "k", "--raw").out()).isEqualTo("v2");
        assertThat(cli.kv("update", "CFG", "new", "x", "--revision", "0").code()).isZero();
        assertThat(cli.kv("update", "CFG", "k", "x").code()).isEqualTo(2);
        assertThat(cli.kv("update", "CFG", "k", "x", "--revision", "-1").code()).isEqualTo(2);
    }

    @Test
    void rawAndJsonTogetherIsAUsageError() {
        cli.kv("put", "CFG", "k", "v");
        assertThat(cli.kv("get", "CFG", "k", "--raw", "--json").code()).isEqualTo(2);
    }

    @Test
    void valueOverTheMaxValueSizeIsRefusedInOneLine() {
        cli.kv("add", "SMALL", "--max-value-size", "4");
        KvCli.Result r = cli.kv("put", "SMALL", "k", "12345");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).startsWith("tend: ").hasLineCount(1);
        assertThat(r.out()).isEmpty();
        assertThat(cli.kv("get", "SMALL", "k").code()).isEqualTo(1);
    }

    @Test
    void aFullBucketRefusesTheWrite() {
        try (KvStore store = cli.store()) {
            store.create(BucketConfig.builder("TINY").maxBucketSize(200).build());
        }
        KvCli.Result last = null;
        int ok = 0;
        for (int i = 0; i < 50; i++) {
            last = cli.kv("put", "TINY", "k" + i, "0123456789");
            if (last.code() != 0) {
                break;
            }
            ok++;
        }
        assertThat(last.code()).isEqualTo(3);
        assertThat(last.err()).contains("full").hasLineCount(1);
        assertThat(cli.kv("keys", "TINY").out().lines()).hasSize(ok);
    }

    @Test
    void storeOptionIsAcceptedAfterTheSubcommandToo() {
        cli.kv("put", "CFG", "k", "v");
        KvCli.Result r = cli.tend("kv", "get", "--store", cli.url, "CFG", "k", "--raw");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("v");
    }

    @Test
    void timesFollowTzFromTheEnvironment() throws Exception {
        cli.kv("put", "CFG", "k", "v");
        cli.env.put("TZ", "Asia/Tokyo");
        assertThat(cli.kv("get", "CFG", "k").out()).matches("CFG > k revision 1 created @ [^\n]+ JST\n\nv\n");
        assertThat(cli.watchUntilShown("CFG", "PUT CFG.k: v\n").out())
                .matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\] PUT CFG.k: v\n");
    }

    @Test
    void badInputNeverOpensTheStore(@TempDir Path other) {
        KvCli fresh = new KvCli(other.resolve("never"));
        assertThat(fresh.kv("put", "CFG", ".bad", "v").code()).isEqualTo(2);
        assertThat(fresh.kv("get", "bad name", "k").code()).isEqualTo(2);
        assertThat(fresh.kv("add", "CFG", "--history", "0").code()).isEqualTo(2);
        assertThat(fresh.kv("keys", "CFG", "a.>.b").code()).isEqualTo(2);
        assertThat(other.resolve("never")).doesNotExist();
    }

    @Test
    void noStackTraceWithoutDebug() {
        KvCli.Result r = cli.kv("get", "CFG", "missing");
        assertThat(r.err()).doesNotContain("\tat ");
        KvCli.Result debug = cli.tend("--debug", "kv", "--store", cli.url, "get", "CFG", "missing");
        assertThat(debug.code()).isEqualTo(1);
        assertThat(debug.err()).startsWith("tend: unknown key \"missing\" in bucket CFG\n")
                .contains("UnknownKeyException");
    }
}
