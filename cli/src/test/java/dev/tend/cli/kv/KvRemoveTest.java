package dev.tend.cli.kv;

import dev.tend.cli.output.Values;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KvRemoveTest {

    @TempDir
    Path tmp;
    KvCli cli;

    @BeforeEach
    void setUp() {
        cli = new KvCli(tmp.resolve("kv"));
        cli.kv("add", "CFG");
        cli.kv("put", "CFG", "username", "myservice");
    }

    @Test
    void delAsksOnATerminal() {
        KvCli.Result no = cli.answering(false).kv("del", "CFG", "username");
        assertThat(no.code()).isZero();
        assertThat(no.out()).isEqualTo("Skipping\n");
        assertThat(cli.questions).containsExactly("Really remove the username key from bucket CFG");
        assertThat(cli.kv("get", "CFG", "username", "--raw").out()).isEqualTo("myservice");

        KvCli.Result yes = cli.answering(true).kv("del", "CFG", "username");
        assertThat(yes.code()).isZero();
        assertThat(yes.out()).isEmpty();
        assertThat(cli.kv("get", "CFG", "username").code()).isEqualTo(1);
        try (KvStore store = cli.store()) {
            assertThat(store.bucket("CFG").history("username")).extracting(e -> e.operation())
                    .containsExactly(Operation.PUT, Operation.DEL);
        }
    }

    @Test
    void delWithoutATerminalNeedsForce() {
        KvCli.Result r = cli.answering(null).kv("del", "CFG", "username");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("tend: not confirmed: cannot ask whether to remove the username key from"
                + " bucket CFG without a terminal; add -f to do it without asking\n");
        assertThat(cli.kv("get", "CFG", "username").code()).isZero();
        assertThat(cli.kv("del", "CFG", "username", "-f").code()).isZero();
        assertThat(cli.questions).hasSize(1);
        assertThat(cli.kv("get", "CFG", "username").code()).isEqualTo(1);
    }

    @Test
    void delWithoutAKeyIsAUsageError() {
        KvCli.Result r = cli.kv("del", "CFG", "-f");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: missing required parameter: 'KEY'").hasLineCount(1);
    }

    @Test
    void delOfAnUnknownBucketIsNotFoundBeforeAsking() {
        assertThat(cli.answering(true).kv("del", "NOPE", "k").code()).isEqualTo(1);
        assertThat(cli.questions).isEmpty();
    }

    @Test
    void purgeAKeyDropsItsHistory() {
        cli.kv("put", "CFG", "username", "two");
        assertThat(cli.kv("purge", "CFG", "username", "-f").code()).isZero();
        try (KvStore store = cli.store()) {
            assertThat(store.bucket("CFG").history("username")).extracting(e -> e.operation())
                    .containsExactly(Operation.PURGE);
        }
    }

    @Test
    void purgeTheBucketKeepsItsConfig() {
        cli.kv("put", "CFG", "other", "x");
        KvCli.Result refused = cli.kv("purge", "CFG");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(cli.kv("info", "CFG").out()).contains("   Values Stored: 2\n");
        assertThat(cli.answering(true).kv("purge", "CFG").code()).isZero();
        assertThat(cli.questions).containsOnly("Really purge every value and the history of bucket CFG");
        assertThat(cli.kv("info", "CFG").out()).contains("   Values Stored: 0\n", "         History: 5\n");
    }

    @Test
    void rmRemovesTheBucket() {
        assertThat(cli.answering(false).kv("rm", "CFG").out()).isEqualTo("Skipping\n");
        assertThat(cli.questions).containsExactly("Really remove the CFG bucket");
        assertThat(cli.kv("rm", "CFG", "-f").code()).isZero();
        assertThat(cli.kv("info", "CFG").code()).isEqualTo(1);
        KvCli.Result again = cli.kv("rm", "CFG", "-f");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("tend: unknown bucket CFG\n");
    }

    @Test
    void compactRemovesMarkersOlderThanTheLimit() {
        cli.kv("del", "CFG", "username", "-f");
        KvCli.Result recent = cli.kv("compact", "CFG", "-f");
        assertThat(recent.code()).isZero();
        try (KvStore store = cli.store()) {
            assertThat(store.bucket("CFG").history("username")).isNotEmpty();
        }
        KvCli.Result all = cli.kv("compact", "CFG", "--older-than", "0", "-f");
        assertThat(all.code()).isZero();
        assertThat(all.out()).isEqualTo("Compacted bucket CFG: 1 key cleaned\n");
        try (KvStore store = cli.store()) {
            assertThat(store.bucket("CFG").history("username")).isEmpty();
        }
        assertThat(cli.kv("compact", "CFG").code()).isEqualTo(2);
        assertThat(cli.kv("compact", "CFG", "--older-than", "30", "-f").code()).isEqualTo(2);
    }
}
