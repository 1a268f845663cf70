package dev.tend.cli.kv;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvStore;
import dev.tend.kv.contract.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend kv keys} of an embedded store writes the store's lines of bytes ({@code EmbeddedKvStore.keyLines}):
 * byte for byte the keys the command printed from {@code Bucket.keys} before, one a line, sorted, for a bucket whose
 * snapshot and sorted keys file are followed by puts, deletes and purges, with a TTL, empty, without a snapshot, with a
 * snapshot of a version before the sorted keys file, and with every kind of filter; the same list as {@code --json}
 * (which goes through {@code Bucket.keys}); bad input fails as before.
 */
class KvKeysLinesTest {
    /** More than the 4 MiB of log after which a closing store writes a snapshot (and the sorted keys beside it). */
    private static final int BIG_VALUES = 70;
    private static final List<String> FILTERS = List.of("k.*", "k.>", "*", ">", "big.1", "k.7", "nothing.*",
            "a.*.c", "zz");

    @TempDir
    Path tmp;
    KvCli cli;
    /** What each bucket holds: the keys with a value that the command must list. */
    TreeSet<String> live;

    @BeforeEach
    void setUp() {
        cli = new KvCli(tmp.resolve("kv"));
        live = new TreeSet<>();
    }

    private KvStore store(Clock clock) {
        return KvStore.builder().directory(cli.dir).clock(clock).durability(Durability.RELAXED).build();
    }

    /** Fills bucket {@code name} past the snapshot threshold (keys k.0..k.99, big.0..big.9, a.b.c) and closes it. */
    private void fill(String name, BucketConfig.Builder config, Clock clock) {
        BucketConfig built = config.build();
        try (KvStore s = store(clock)) {
            Bucket b = s.create(built);
            byte[] big = new byte[64 * 1024];
            for (int i = 0; i < BIG_VALUES; i++) {
                b.put("big." + (i % 10), big);
                live.add("big." + (i % 10));
            }
            for (int i = 0; i < 100; i++) {
                b.put("k." + i, "v" + i);
                live.add("k." + i);
            }
            b.put("a.b.c", "x");
            live.add("a.b.c");
            b.put("gone", "x");
            b.delete("gone");
        }
        assertThat(cli.dir.resolve(name).resolve("index-1.hint")).exists();
        assertThat(cli.dir.resolve(name).resolve("index-1.keys").toFile().exists()).as("sorted keys without a TTL")
                .isEqualTo(!built.hasTtl());
    }

    /** Puts, deletes and purges after the snapshot, through the command. */
    private void writeTail(String name) {
        assertThat(cli.kv("put", name, "aaa", "first").code()).isZero();
        assertThat(cli.kv("put", name, "zz", "last").code()).isZero();
        assertThat(cli.kv("put", name, "k.50a", "between").code()).isZero();
        assertThat(cli.kv("put", name, "gone", "back").code()).isZero();
        assertThat(cli.kv("del", name, "k.5", "-f").code()).isZero();
        assertThat(cli.kv("purge", name, "k.77", "-f").code()).isZero();
        assertThat(cli.kv("put", name, "k.8", "again").code()).isZero();
        assertThat(cli.kv("del", name, "never.there", "-f").code()).isZero();
        assertThat(cli.kv("put", name, "k.9", "x").code()).isZero();
        assertThat(cli.kv("del", name, "k.9", "-f").code()).isZero();
        live.addAll(List.of("aaa", "zz", "k.50a", "gone", "k.8"));
        live.removeAll(List.of("k.5", "k.77", "k.9"));
    }

    /** The command's output for every filter, exactly the expected lines, and the same keys as --json gives. */
    private void assertListed(String name) {
        List<String> filters = new ArrayList<>(FILTERS);
        filters.add(0, null);
        for (String f : filters) {
            KvCli.Result r = f == null ? cli.kv("keys", name) : cli.kv("keys", name, f);
            StringBuilder expected = new StringBuilder();
            List<String> keys = new ArrayList<>();
            for (String k : live) {
                if (f == null || KeyFilter.of(f).matches(k)) {
                    expected.append(k).append('\n');
                    keys.add(k);
                }
            }
            assertThat(r.code()).as("%s %s", name, f).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.outBytes()).as("keys %s %s", name, f)
                    .isEqualTo(expected.toString().getBytes(StandardCharsets.US_ASCII));
            KvCli.Result json = f == null ? cli.kv("keys", name, "--json") : cli.kv("keys", name, f, "--json");
            assertThat(json.out()).isEqualTo(jsonOf(keys));
        }
    }

    private static String jsonOf(List<String> keys) {
        if (keys.isEmpty()) {
            return "[ ]\n";
        }
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < keys.size(); i++) {
            sb.append("  \"").append(keys.get(i)).append('"').append(i < keys.size() - 1 ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    @Test
    void aSnapshotItsSortedKeysAndTheWritesAfterThem() {
        fill("CFG", BucketConfig.builder("CFG").history(3), Clock.systemUTC());
        assertListed("CFG");
        writeTail("CFG");
        assertListed("CFG");
    }

    @Test
    void aSnapshotWithoutSortedKeysAsAnOlderVersionWroteIt() throws IOException {
        fill("CFG", BucketConfig.builder("CFG").history(3), Clock.systemUTC());
        Files.delete(cli.dir.resolve("CFG").resolve("index-1.keys"));
        writeTail("CFG");
        assertListed("CFG");
    }

    @Test
    void aBucketWithoutASnapshot() {
        assertThat(cli.kv("add", "SMALL").code()).isZero();
        writeTail("SMALL");
        assertThat(cli.dir.resolve("SMALL").resolve("index-1.keys")).doesNotExist();
        assertListed("SMALL");
    }

    @Test
    void aBucketWithATtlListsOnlyWhatHasNotExpired() {
        Instant old = Instant.now().minus(Duration.ofHours(2));
        fill("TTL", BucketConfig.builder("TTL").history(2).ttl(Duration.ofHours(1)), new MutableClock(old));
        live.clear(); // all of it written two hours ago: expired
        try (KvStore s = store(Clock.systemUTC())) {
            s.bucket("TTL").put("k.3", "fresh");
            s.bucket("TTL").put("new", "fresh");
        }
        live.addAll(List.of("k.3", "new"));
        assertListed("TTL");
    }

    @Test
    void emptyBuckets() {
        assertThat(cli.kv("add", "EMPTY").code()).isZero();
        assertListed("EMPTY");
        fill("CLEARED", BucketConfig.builder("CLEARED").history(1), Clock.systemUTC());
        for (String k : new ArrayList<>(live)) {
            assertThat(cli.kv("del", "CLEARED", k, "-f").code()).isZero();
        }
        live.clear();
        assertListed("CLEARED");
    }

    @Test
    void badInputFailsAsBefore() {
        fill("CFG", BucketConfig.builder("CFG").history(3), Clock.systemUTC());
        assertThat(cli.kv("keys", "NOPE")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("tend: unknown bucket NOPE\n");
            assertThat(r.outBytes()).isEmpty();
        });
        assertThat(cli.kv("keys", "bad name").code()).isEqualTo(2);
        assertThat(cli.kv("keys", "CFG", "a..b")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("tend: invalid filter \"a..b\"");
            assertThat(r.outBytes()).isEmpty();
        });
        assertThat(cli.kv("keys", "CFG", "ключ")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("tend: invalid filter \"ключ\": use only A-Z, a-z, 0-9, - / _ = . and the "
                    + "wildcards * and >\n");
        });
        assertThat(cli.kv("put", "CFG", "ключ", "v").code()).as("keys are ASCII").isEqualTo(2);
    }
}
