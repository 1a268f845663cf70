package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.contract.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Writes made without the index ({@link PointWrite}: the batch's keys from the snapshot and the log after it) do
 * exactly what writes made with the full index do. Each case prepares a bucket, copies it, makes the same writes on
 * both copies, on one each in a fresh store that never loads the index (checked), on the other in a store that
 * loaded it first, and compares every outcome (revision, or the error and its message), the log files byte for byte
 * and every key's history afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PointWriteTest {
    private static final String B = "W";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private EmbeddedKvStore open(Path storeDir, Durability durability) {
        return (EmbeddedKvStore) KvStore.builder().directory(storeDir).clock(clock).durability(durability).build();
    }

    private EmbeddedKvStore open(Path storeDir) {
        return open(storeDir, Durability.RELAXED);
    }

    private Path point() {
        return dir.resolve("point");
    }

    private Path indexed() {
        return dir.resolve("indexed");
    }

    /** How the bucket's snapshot stands when the writes begin. */
    enum Snapshot {
        /** A snapshot covering the whole log. */
        FRESH,
        /** A snapshot, then more writes in the log after it. */
        STALE,
        /** No snapshot at all. */
        NONE
    }

    /**
     * Fills the bucket in {@code point()}: keys k0..k19 twice, a snapshot unless {@code NONE}, and for {@code STALE}
     * (and {@code NONE}) a tail: changed keys, new keys, deletes, a purge. Then copies it to {@code indexed()}.
     */
    private void prepare(BucketConfig config, Snapshot snapshot) throws IOException {
        try (EmbeddedKvStore s = open(point())) {
            Bucket b = s.create(config);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 20; i++) {
                    b.put("k" + i, "v" + round + "." + i);
                }
            }
            if (snapshot != Snapshot.NONE) {
                s.engine(B).writeSnapshot();
            }
            if (snapshot != Snapshot.FRESH) {
                b.put("tail.only", "t");
                b.put("k1", "tail");
                b.put("k2", "tail1");
                b.put("k2", "tail2");
                b.put("k2", "tail3");
                b.delete("k3");
                b.purge("k4");
                b.delete("tail.deleted");
                b.put("k5", "a");
                b.delete("k5");
            }
        }
        assertThat(HintFile.path(point().resolve(B), 1).toFile().exists()).isEqualTo(snapshot != Snapshot.NONE);
        copyTree(point(), indexed());
    }

    /** One write, as its outcome: "rev N" or the error's class and message. */
    private interface Write {
        long apply(Bucket b);
    }

    private static byte[] u(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String outcome(Bucket b, Write w) {
        try {
            return "rev " + w.apply(b);
        } catch (KvException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Makes {@code w} in a fresh store on the point copy (no index) and on the indexed copy; both outcomes. */
    private String[] both(Write w) {
        String p;
        try (EmbeddedKvStore s = open(point())) {
            p = outcome(s.bucket(B), w);
            assertThat(s.engine(B).hasIndex()).as("a one-shot write loaded the index").isFalse();
        }
        String i;
        try (EmbeddedKvStore s = open(indexed())) {
            Bucket b = s.bucket(B);
            s.engine(B).config(); // loads the index (keys() reads the snapshot without it)
            assertThat(s.engine(B).hasIndex()).isTrue();
            i = outcome(b, w);
        }
        return new String[] {p, i};
    }

    private String same(Write w) {
        String[] o = both(w);
        assertThat(o[0]).as("without the index, against with it").isEqualTo(o[1]);
        return o[0];
    }

    /** The latest revision of {@code key} in the point copy (0: none), read without the index. */
    private long latest(String key) {
        try (EmbeddedKvStore s = open(point())) {
            List<Entry> h = s.bucket(B).history(key);
            return h.isEmpty() ? 0 : h.get(h.size() - 1).revision();
        }
    }

    /** The writes every case makes: on keys of the snapshot only, of the log tail only, deleted, purged, new. */
    private void writeEverything(BucketConfig config) {
        assertThat(same(b -> b.put("k10", "p1"))).startsWith("rev ");
        assertThat(same(b -> b.put("tail.only", "p2"))).startsWith("rev ");
        assertThat(same(b -> b.create("k0", u("c")))).startsWith("KeyExistsException");
        assertThat(same(b -> b.create("tail.only", u("c")))).startsWith("KeyExistsException");
        same(b -> b.create("k3", u("recreated"))); // deleted in the tail (STALE), or a plain key
        same(b -> b.create("k4", u("recreated"))); // purged in the tail (STALE), or a plain key
        same(b -> b.create("tail.deleted", u("recreated")));
        assertThat(same(b -> b.create("never", u("c")))).startsWith("rev ");
        assertThat(same(b -> b.create("never", u("c")))).startsWith("KeyExistsException");
        long rev = latest("k6");
        assertThat(same(b -> b.update("k6", u("u"), rev))).startsWith("rev ");
        assertThat(same(b -> b.update("k6", u("u"), rev))).startsWith("WrongRevisionException");
        long tailRev = latest("k2");
        same(b -> b.update("k2", u("u"), tailRev));
        assertThat(same(b -> b.update("nothing", u("u"), 0))).startsWith("rev ");
        assertThat(same(b -> b.update("absent", u("u"), 5))).startsWith("WrongRevisionException");
        assertThat(same(b -> b.delete("k7"))).startsWith("rev ");
        assertThat(same(b -> b.delete("k8", 1))).startsWith("WrongRevisionException");
        long k8 = latest("k8");
        assertThat(same(b -> b.delete("k8", k8))).startsWith("rev ");
        same(b -> b.create("k8", u("after its delete")));
        assertThat(same(b -> b.purge("k9"))).startsWith("rev ");
        for (int i = 0; i < 4; i++) {
            String v = "trim" + i;
            same(b -> b.put("k11", v)); // past the history limit: the snapshot's entries trimmed away
        }
        same(b -> b.put("k12", new byte[config.maxValueSize() == BucketConfig.UNLIMITED ? 100 : 2000]));
        same(b -> b.delete("never.written"));
        same(b -> b.purge("never.purged"));
    }

    private void assertSameFilesAndState() throws IOException {
        assertThat(logs(point())).as("the log files").isEqualTo(logs(indexed()));
        assertThat(state(point())).isEqualTo(state(indexed()));
    }

    @ParameterizedTest
    @EnumSource(Snapshot.class)
    void writesWithoutTheIndexMatchWritesWithIt(Snapshot snapshot) throws IOException {
        BucketConfig config = BucketConfig.builder(B).history(3).build();
        prepare(config, snapshot);
        writeEverything(config);
        assertSameFilesAndState();
    }

    @ParameterizedTest
    @EnumSource(Snapshot.class)
    void historyOfOneAndAMaxValueSize(Snapshot snapshot) throws IOException {
        BucketConfig config = BucketConfig.builder(B).history(1).maxValueSize(1000).build();
        prepare(config, snapshot);
        writeEverything(config);
        assertThat(same(b -> b.put("k13", new byte[1001]))).startsWith("ValueTooLargeException");
        assertSameFilesAndState();
    }

    @ParameterizedTest
    @EnumSource(Snapshot.class)
    void expiredEntriesCountAlike(Snapshot snapshot) throws IOException {
        BucketConfig config = BucketConfig.builder(B).history(5).ttl(Duration.ofMinutes(1)).build();
        prepare(config, snapshot);
        clock.advance(Duration.ofSeconds(40));
        same(b -> b.put("k14", "younger"));
        clock.advance(Duration.ofSeconds(30)); // the fill's entries are 70 s old now, k14's 30 s
        assertThat(same(b -> b.create("k0", u("again")))).as("k0 expired").startsWith("rev ");
        assertThat(same(b -> b.create("k14", u("again")))).startsWith("KeyExistsException");
        assertThat(same(b -> b.update("k15", u("u"), 0))).as("k15 expired").startsWith("rev ");
        writeEverything(config);
        assertSameFilesAndState();
    }

    @Test
    void aBucketWithAMaxBucketSizeLoadsTheIndexToWrite() throws IOException {
        BucketConfig config = BucketConfig.builder(B).history(2).maxBucketSize(20_000).build();
        prepare(config, Snapshot.STALE);
        try (EmbeddedKvStore s = open(point())) {
            s.bucket(B).put("k1", "x");
            assertThat(s.engine(B).hasIndex()).as("the size limit needs every key's bytes").isTrue();
        }
        try (EmbeddedKvStore s = open(indexed())) {
            s.bucket(B).put("k1", "x");
        }
        String refused;
        try (EmbeddedKvStore s = open(point())) {
            refused = outcome(s.bucket(B), b -> b.put("big", new byte[20_000]));
        }
        assertThat(refused).startsWith("BucketFullException");
        try (EmbeddedKvStore s = open(indexed())) {
            assertThat(outcome(s.bucket(B), b -> b.put("big", new byte[20_000]))).isEqualTo(refused);
        }
        assertSameFilesAndState();
    }

    @Test
    void aLongTailLoadsTheIndexWhichThenWritesAFreshSnapshot() throws IOException {
        prepare(BucketConfig.builder(B).history(1).build(), Snapshot.FRESH);
        Path hint = HintFile.path(point().resolve(B), 1);
        byte[] old = Files.readAllBytes(hint);
        byte[] big = new byte[64 * 1024];
        for (int i = 0; i < 60; i++) { // 3.8 MiB after the snapshot, written by one-shot writes
            try (EmbeddedKvStore s = open(point())) {
                s.bucket(B).put("big" + (i % 3), big);
                assertThat(s.engine(B).hasIndex()).isFalse();
            }
        }
        assertThat(Files.readAllBytes(hint)).isEqualTo(old);
        boolean loaded = false;
        for (int i = 0; i < 10 && !loaded; i++) { // past 4 MiB: the write that finds more loads the index
            try (EmbeddedKvStore s = open(point())) {
                s.bucket(B).put("big" + (i % 3), big);
                loaded = s.engine(B).hasIndex();
            }
        }
        assertThat(loaded).as("too much log after the snapshot to scan").isTrue();
        try (EmbeddedKvStore s = open(point())) {
            s.bucket(B).put("k1", "after");
            assertThat(s.engine(B).hasIndex()).isFalse();
        }
        assertThat(Files.readAllBytes(hint)).as("the process that loaded the index left a snapshot").isNotEqualTo(old);
        try (EmbeddedKvStore s = open(point())) {
            assertThat(catchThrowable(() -> s.bucket(B).create("k1", u("again")))).isInstanceOf(KeyExistsException.class);
            s.bucket(B).put("k2", "a short tail again");
            assertThat(s.engine(B).hasIndex()).isFalse();
            assertThat(s.bucket(B).get("k1").map(Entry::valueAsString)).contains("after");
        }
    }

    @Test
    void aProcessThatKeepsWritingLoadsTheIndexAndRevisionsStayGapFree() throws IOException {
        prepare(BucketConfig.builder(B).history(2).build(), Snapshot.STALE);
        try (EmbeddedKvStore s = open(point())) {
            Bucket b = s.bucket(B);
            long last = b.put("first", "x");
            for (int i = 1; i < BucketEngine.POINT_READS_BEFORE_INDEX; i++) {
                assertThat(b.put("n" + i, "x")).isEqualTo(++last);
            }
            assertThat(s.engine(B).hasIndex()).isFalse();
            assertThat(b.put("n.more", "x")).isEqualTo(++last);
            assertThat(s.engine(B).hasIndex()).isTrue();
            assertThat(catchThrowable(() -> b.create("n1", u("again")))).isInstanceOf(KeyExistsException.class);
            assertThat(b.put("n.last", "x")).isEqualTo(++last);
        }
    }

    @Test
    void pointWritersAndIndexedWritersOfTwoStoresInterleave() throws IOException {
        prepare(BucketConfig.builder(B).history(3).build(), Snapshot.STALE);
        try (EmbeddedKvStore indexedStore = open(point(), Durability.DURABLE)) {
            Bucket ib = indexedStore.bucket(B);
            ib.keys();
            long last = ib.put("start", "x");
            for (int i = 0; i < 10; i++) {
                try (EmbeddedKvStore s = open(point(), Durability.DURABLE)) {
                    Bucket pb = s.bucket(B);
                    assertThat(pb.update("start", u("p" + i), last)).isEqualTo(last + 1);
                    assertThat(s.engine(B).hasIndex()).isFalse();
                }
                last++;
                assertThat(ib.get("start").map(Entry::valueAsString)).contains("p" + i);
                assertThat(ib.update("start", u("i" + i), last)).isEqualTo(last + 1);
                last++;
            }
            assertThat(ib.history("start")).extracting(Entry::valueAsString).containsExactly("i8", "p9", "i9");
        }
    }

    @Test
    void anotherThreadLoadingTheIndexMeanwhileChangesNothing() throws Exception {
        prepare(BucketConfig.builder(B).history(3).build(), Snapshot.STALE);
        try (EmbeddedKvStore s = open(point(), Durability.DURABLE)) {
            Bucket b = s.bucket(B);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            long[] revs = new long[40];
            for (int t = 0; t < 4; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < 10; i++) {
                            revs[id * 10 + i] = b.put("t" + id, "v" + i);
                            if (id == 0 && i == 2) {
                                s.engine(B).config(); // loads the index while the others write
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "point-writer-" + t);
                threads.add(th);
                th.start();
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(failures).isEmpty();
            assertThat(s.engine(B).hasIndex()).isTrue();
            long[] sorted = revs.clone();
            java.util.Arrays.sort(sorted);
            for (int i = 1; i < sorted.length; i++) {
                assertThat(sorted[i]).as("gap-free").isEqualTo(sorted[i - 1] + 1);
            }
            for (int t = 0; t < 4; t++) {
                assertThat(b.history("t" + t)).extracting(Entry::valueAsString).containsExactly("v7", "v8", "v9");
            }
        }
    }

    // =====================================================================================================
    // Comparing the copies
    // =====================================================================================================

    /** Every log file of the bucket, by name, as bytes in hex (so a difference shows where). */
    private static TreeMap<String, String> logs(Path store) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(store.resolve(B))) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("log-")).toList()) {
                out.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    /** Every key's history and the bucket's counts, from the full index. */
    private String state(Path store) {
        try (EmbeddedKvStore s = open(store)) {
            Bucket b = s.bucket(B);
            StringBuilder sb = new StringBuilder();
            var st = b.status();
            sb.append("values ").append(st.values()).append(" bytes ").append(st.bytes()).append(" last ")
                    .append(st.lastRevision()).append('\n');
            Function<Entry, String> e = x -> x.revision() + "/" + x.operation() + "/" + x.valueAsString() + "/"
                    + x.created() + "/" + x.delta();
            for (String k : List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11",
                    "k12", "k14", "k15", "tail.only", "tail.deleted", "never", "nothing", "absent", "never.written",
                    "never.purged", "start", "t0", "t1", "t2", "t3")) {
                sb.append(k).append(": ");
                b.history(k).forEach(x -> sb.append(e.apply(x)).append("; "));
                sb.append('\n');
            }
            sb.append(b.keys());
            return sb.toString();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
