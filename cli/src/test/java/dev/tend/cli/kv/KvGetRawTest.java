package dev.tend.cli.kv;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The picocli-free {@code kv get --raw}: which command lines it serves, and that it answers as picocli's path. */
class KvGetRawTest {
    @TempDir
    Path dir;
    KvCli cli;

    @BeforeEach
    void bucket() {
        cli = new KvCli(dir);
        try (KvStore store = cli.store()) {
            var b = store.create(BucketConfig.builder("CFG").history(5).build());
            b.put("username", new byte[] {'m', 0, (byte) 0xff, '\n'});
            b.put("gone", "x");
            b.delete("gone");
        }
    }

    @Test
    void servesOnlyThePlainShape() {
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "k", "--raw"})).isNotNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "--store", "/x", "get", "--raw", "CFG", "k"})).isNotNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "k", "--raw", "--store=/x"})).isNotNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "k"})).isNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "k", "--raw", "--revision", "3"})).isNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "--raw"})).isNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "k", "extra", "--raw"})).isNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "-k", "--raw"})).isNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "get", "CFG", "k", "--raw", "--help"})).isNull();
        assertThat(KvGetRaw.parse(new String[] {"--debug", "kv", "get", "CFG", "k", "--raw"})).isNull();
        assertThat(KvGetRaw.parse(new String[] {"kv", "put", "CFG", "k", "--raw"})).isNull();
    }

    @Test
    void writesTheExactBytes() {
        KvCli.Result r = cli.kv("get", "CFG", "username", "--raw");
        assertThat(r.code()).isZero();
        assertThat(r.outBytes()).containsExactly('m', 0, 0xff, '\n');
        assertThat(r.err()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"CFG,missing", "CFG,gone", "NOPE,username", "CFG,bad..key", "bad name,k"})
    void failsExactlyAsThePicocliPathDoes(String bucket, String key) {
        KvCli.Result fast = cli.kv("get", bucket, key, "--raw");
        KvCli.Result picocli = cli.kv("get", bucket, key, "--json");
        assertThat(fast.code()).as("exit status").isEqualTo(picocli.code()).isNotZero();
        assertThat(fast.err()).isEqualTo(picocli.err()).startsWith("tend: ");
        assertThat(fast.outBytes()).isEmpty();
    }

    @Test
    void aMissingStoreIsAnUnknownBucketAndIsNotCreated() {
        Path nowhere = dir.resolve("nowhere");
        KvCli.Result r = cli.tend("kv", "--store", nowhere.toString(), "get", "CFG", "k", "--raw");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tend: unknown bucket CFG\n");
        assertThat(nowhere).doesNotExist();
    }
}
