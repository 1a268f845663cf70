package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.TestLocks;
import dev.tend.kv.WrongRevisionException;
import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several users of a bucket's lock files in one JVM ({@link LockFiles}): an OS record lock belongs to the process,
 * and closing any descriptor of the file lets go of all of the process's locks on it. So one store instance closing
 * the bucket must leave another's file lock and slot lock held, as another process sees them ({@link ChildMain}
 * {@code probe-byte}); and two instances of this JVM writing beside a writer process lose no acknowledged write while
 * a third instance opens and closes the bucket again and again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ)
class LockFilesTest {
    private static final String B = "shared";

    @TempDir
    Path tmp;

    @Test
    void anotherInstanceClosingTheBucketLeavesTheFileLockHeld() throws Exception {
        Path dir = tmp.resolve("store");
        try (EmbeddedKvStore first = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
            first.create(BucketConfig.builder(B).build()).put("k", "v");
            BucketEngine engine = first.engine(B);
            Path lockFile = engine.dir.resolve(BucketLock.NAME);
            engine.bucketLock.runExclusive(() -> {
                try (EmbeddedKvStore second = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
                    assertThat(second.engine(B).bucketLock).isNotNull(); // opened the bucket's lock file
                }
                // Opened and closed directly too, as bucket creation and the removal of leftovers do.
                BucketLock.openExisting(engine.dir).close();
                assertThat(probe(lockFile, 0)).as("the first instance's file lock, seen by another process")
                        .isEqualTo("HELD");
            });
            assertThat(probe(lockFile, 0)).isEqualTo("FREE");
        }
    }

    @Test
    void anotherInstanceClosingTheBucketLeavesTheSlotLockHeld() throws Exception {
        Path dir = tmp.resolve("store");
        try (EmbeddedKvStore first = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
            Bucket a = first.create(BucketConfig.builder(B).build());
            loadIndex(a);
            a.put("a", "1"); // handed off: claims a slot, kept for the next writes
            Path table = first.engine(B).dir.resolve(SlotTable.NAME);
            int slot = ownedSlot(table);
            try (KvStore second = KvStore.builder().directory(dir).build()) {
                Bucket b = second.bucket(B);
                loadIndex(b);
                b.put("b", "1");
            }
            assertThat(probe(table, SlotTable.base(slot) + SlotTable.LOCK))
                    .as("the first instance's slot lock, seen by another process").isEqualTo("HELD");
            assertThat(a.put("a", "2")).isPositive();
        }
    }

    @Test
    void anInterruptedThreadTakingTheFileLockLeavesTheSharedChannelOpen() throws Exception {
        Path dir = tmp.resolve("bucket");
        Files.createDirectories(dir);
        try (BucketLock first = BucketLock.open(dir, FileModes.OWNER);
             BucketLock second = BucketLock.open(dir, FileModes.OWNER)) {
            assertThat(first.lockCompaction(true)).isTrue();
            try {
                Thread.currentThread().interrupt();
                boolean[] ran = new boolean[1];
                second.runExclusive(() -> ran[0] = true);
                assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
                assertThat(ran[0]).isTrue();
                assertThat(probe(dir.resolve(BucketLock.NAME), 1)).as("the first's compaction lock").isEqualTo("HELD");
            } finally {
                first.unlockCompaction();
            }
        }
    }

    @Test
    void aStrayOfAClosedEntryDoesNotLetGoOfTheLocksOfTheEntryReplacingIt() throws Exception {
        Path file = tmp.resolve("lock");
        LockFiles.Opener create = () -> java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.CREATE);
        LockFiles.Share[] first = new LockFiles.Share[1];
        // The file appears while the second open opens it: the descriptor that open made is a stray of the entry.
        LockFiles.Share second = LockFiles.open(file, () -> {
            first[0] = LockFiles.open(file, create);
            return create.open();
        });
        assertThat(second.channel()).isSameAs(first[0].channel());
        first[0].channel().close(); // as an interrupt would: the entry is closed and the next open replaces it
        try (LockFiles.Share replacing = LockFiles.open(file, create)) {
            assertThat(replacing.channel().isOpen()).isTrue();
            java.nio.channels.FileLock held = replacing.channel().tryLock(0, 1, false);
            assertThat(held).isNotNull();
            first[0].close();
            second.close();
            assertThat(probe(file, 0)).as("the replacing entry's lock, seen by another process").isEqualTo("HELD");
            held.release();
        }
    }

    @Test
    void twoInstancesAndAWriterProcessLoseNoAcknowledgedWrite() throws Exception {
        Path dir = tmp.resolve("store");
        int childPuts = 180;
        int casPerWriter = 150;
        int putsPerThread = 300;
        List<String> failures = new CopyOnWriteArrayList<>();
        Map<String, Long> acked = new ConcurrentHashMap<>();
        AtomicLong casDone = new AtomicLong();
        try (KvStore one = KvStore.builder().directory(dir).build();
             KvStore two = KvStore.builder().directory(dir).build()) {
            one.create(BucketConfig.builder(B).history(64).build());
            List<Bucket> buckets = List.of(one.bucket(B), two.bucket(B));
            try (ChildJvm puts = ChildJvm.start("puts", tmp.resolve("logs"), "puts", dir.toString(), B,
                    Integer.toString(childPuts));
                 ChildJvm cas = ChildJvm.start("cas", tmp.resolve("logs"), "cas", dir.toString(), B, "counter",
                         Integer.toString(casPerWriter))) {
                assertThat(puts.nextLine(60, TimeUnit.SECONDS)).as(puts.stderrTail()).isEqualTo("READY");
                assertThat(cas.nextLine(60, TimeUnit.SECONDS)).as(cas.stderrTail()).isEqualTo("READY");
                AtomicBoolean writing = new AtomicBoolean(true);
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < buckets.size(); w++) {
                    Bucket bucket = buckets.get(w);
                    String writer = "i" + w;
                    threads.add(new Thread(() -> putAll(bucket, writer, putsPerThread, acked, failures),
                            "puts-" + writer));
                    threads.add(new Thread(() -> increment(bucket, casPerWriter, casDone, failures),
                            "cas-" + writer));
                }
                Thread churn = new Thread(() -> {
                    for (int i = 0; writing.get(); i++) {
                        try (KvStore third = KvStore.builder().directory(dir).build()) {
                            third.bucket(B).get("counter");
                            third.bucket(B).put("churn", "c" + i);
                        } catch (RuntimeException e) {
                            failures.add("churn: " + e);
                        }
                    }
                }, "churn");
                churn.start();
                threads.forEach(Thread::start);
                puts.send("GO");
                cas.send("GO");
                List<String[]> childAcks = new ArrayList<>();
                for (String line; !"DONE".equals(line = puts.nextLine(120, TimeUnit.SECONDS)); ) {
                    assertThat(line).as(puts.stderrTail()).startsWith("ACK ");
                    childAcks.add(line.split(" "));
                }
                assertThat(cas.nextLine(120, TimeUnit.SECONDS)).as(cas.stderrTail()).startsWith("DONE " + casPerWriter);
                for (Thread t : threads) {
                    t.join(TimeUnit.SECONDS.toMillis(120));
                    assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
                }
                writing.set(false);
                churn.join(TimeUnit.SECONDS.toMillis(120));
                assertThat(failures).isEmpty();
                assertThat(puts.waitFor(30, TimeUnit.SECONDS)).isZero();
                assertThat(cas.waitFor(30, TimeUnit.SECONDS)).isZero();

                // Every acknowledged write is there, at the revision it was given; each writer's revisions rise.
                long last = 0;
                Set<Long> revisions = new HashSet<>();
                try (KvStore check = KvStore.builder().directory(dir).build()) {
                    Bucket bucket = check.bucket(B);
                    for (String[] ack : childAcks) {
                        long rev = Long.parseLong(ack[1]);
                        assertThat(rev).as("the writer process's revisions rise").isGreaterThan(last);
                        last = rev;
                        assertThat(revisions.add(rev)).as("revision " + rev + " given once").isTrue();
                        Optional<Entry> e = bucket.get(ack[2], rev);
                        assertThat(e).as("acknowledged " + String.join(" ", ack)).isPresent();
                        assertThat(e.get().valueAsString()).isEqualTo(ack[3]);
                    }
                    for (Map.Entry<String, Long> a : acked.entrySet()) {
                        assertThat(revisions.add(a.getValue())).as("revision " + a.getValue() + " given once")
                                .isTrue();
                        Entry e = bucket.get(a.getKey()).orElseThrow();
                        assertThat(e.revision()).isEqualTo(a.getValue());
                        assertThat(e.valueAsString()).isEqualTo(a.getKey());
                    }
                    assertThat(Long.parseLong(bucket.get("counter").orElseThrow().valueAsString()))
                            .as("no increment lost").isEqualTo(casDone.get() + casPerWriter);
                    assertThat(((EmbeddedKvStore) check).check(B).problems()).isEmpty();
                }
            }
        }
    }

    /** Puts {@code count} keys of its own, each its own name as value; each revision above the writer's last. */
    private static void putAll(Bucket bucket, String writer, int count, Map<String, Long> acked,
                               List<String> failures) {
        long last = 0;
        try {
            for (int i = 0; i < count; i++) {
                String key = writer + ".k" + i;
                long rev = bucket.put(key, key);
                if (rev <= last) {
                    failures.add(writer + ": revision " + rev + " after " + last);
                }
                last = rev;
                acked.put(key, rev);
            }
        } catch (RuntimeException e) {
            failures.add(writer + ": " + e);
        }
    }

    /** Increments the counter {@code count} times by compare-and-set. */
    private static void increment(Bucket bucket, int count, AtomicLong done, List<String> failures) {
        try {
            for (int n = 0; n < count; ) {
                Optional<Entry> cur = bucket.get("counter");
                long value = cur.map(e -> Long.parseLong(e.valueAsString())).orElse(0L);
                try {
                    bucket.update("counter", Long.toString(value + 1).getBytes(StandardCharsets.UTF_8),
                            cur.map(Entry::revision).orElse(0L));
                    n++;
                    done.incrementAndGet();
                } catch (WrongRevisionException e) {
                    // another writer's increment came first
                }
            }
        } catch (RuntimeException e) {
            failures.add("cas: " + e);
        }
    }

    private static void loadIndex(Bucket b) {
        for (int i = 0; i <= BucketEngine.POINT_READS_BEFORE_INDEX; i++) {
            b.get("warm.up");
        }
    }

    /** The slot whose lock this process holds, found by trying each from another process. */
    private int ownedSlot(Path table) throws Exception {
        try (SlotTable t = SlotTable.open(table.getParent(), FileModes.OWNER)) {
            for (int s = 0; s < SlotTable.SLOTS; s++) {
                if (t.get(s, SlotTable.OWNER) != 0
                        && probe(table, SlotTable.base(s) + SlotTable.LOCK).equals("HELD")) {
                    return s;
                }
            }
        }
        throw new AssertionError("no slot of this process is held");
    }

    /** Whether another process finds the byte locked: HELD or FREE. */
    private String probe(Path file, long position) throws java.io.IOException {
        assertThat(Files.exists(file)).isTrue();
        try (ChildJvm p = ChildJvm.start("probe", tmp.resolve("logs"), "probe-byte", file.toString(),
                Long.toString(position))) {
            assertThat(p.nextLine(60, TimeUnit.SECONDS)).as(p.stderrTail()).isEqualTo("READY");
            return p.nextLine(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted probing " + file);
        }
    }
}
