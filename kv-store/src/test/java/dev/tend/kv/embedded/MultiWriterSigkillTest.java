package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.TestLocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Several writer processes on one bucket, killed with SIGKILL at random moments: each round starts {@code WRITERS}
 * child JVMs that put self-checking values ({@link CrashValues}), each to a key of its own, and report each put only
 * after it returned; the parent kills each at its own random moment (so some die holding the file lock, some with
 * a batch appended and waiting for its force, some while forcing others' batches, some while still opening the
 * store; the writers that hand off their writes also die as the holder, with others' writes claimed, before or after
 * their append or their force, and with a write of their own posted in their slot), then reopens the store and
 * checks: every acknowledged put is there exactly once, with its exact value and its acknowledged revision; each
 * writer's puts have rising revisions in the order it made them; the bucket's revisions run from 1 to its last
 * without a gap or a repeat, every entry intact; no acknowledged revision of a round was seen before it. Every round
 * continues on the same store, so the previous rounds' leftovers (torn tails, batches never forced) are recovered
 * too.
 *
 * <p>{@code -Dtend.multicrash.rounds=N} runs more rounds (a soak); {@code -Dtend.multicrash.seed=N} repeats a run's
 * choices (the kill timing itself stays up to the OS).
 */
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ)
class MultiWriterSigkillTest {
    private static final String BUCKET = "multi";
    /**
     * The last one opens a store for each put, as {@code tend kv put} does: its writes are made without the index;
     * the one before it never hands off its writes, as a build without the hand-off; the others load the index
     * first and hand off their small writes ({@link Handoff}), and write their big ones (every third, about
     * 50 KB, more than a slot holds) directly.
     */
    private static final int WRITERS = 7;

    @TempDir
    Path tmp;

    /** An acknowledged put as a child reported it. */
    record Ack(int writer, int run, long seq, long revision) {
        static Ack parse(String line) {
            String[] p = line.split(" ");
            return new Ack(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4]));
        }

        String key() {
            return ChildMain.multiKey(writer, run, seq);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void acknowledgedWritesOfEveryProcessSurviveRandomKills() throws Exception {
        long seed = Long.getLong("tend.multicrash.seed", System.nanoTime());
        int rounds = Integer.getInteger("tend.multicrash.rounds", 3);
        System.out.println("MultiWriterSigkillTest seed=" + seed + " rounds=" + rounds
                + " (repeat with -Dtend.multicrash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            store.create(BucketConfig.builder(BUCKET).history(8).build());
        }
        List<Ack> acked = new ArrayList<>();
        long lastSeen = 0;
        int killedBeforeReady = 0;
        for (int run = 1; run <= rounds; run++) {
            String ctx = "seed " + seed + ", round " + run;
            List<Ack> acks = new ArrayList<>();
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int w = 0; w < WRITERS; w++) {
                    children.add(ChildJvm.start("multi-" + run + "-" + w, tmp.resolve("logs"), "multi",
                            dir.toString(), BUCKET, Integer.toString(w), Integer.toString(run),
                            w == WRITERS - 1 ? "oneshot" : w == WRITERS - 2 ? "direct" : "kept"));
                }
                // Each child dies at its own moment: most while writing, one in five maybe while still opening.
                long[] killAt = new long[WRITERS];
                boolean[] ready = new boolean[WRITERS];
                boolean[] killed = new boolean[WRITERS];
                long t0 = System.nanoTime();
                for (int w = 0; w < WRITERS; w++) {
                    killAt[w] = rnd.nextInt(5) == 0 ? t0 + TimeUnit.MILLISECONDS.toNanos(rnd.nextInt(600)) : -1;
                }
                int alive = WRITERS;
                long deadline = t0 + TimeUnit.SECONDS.toNanos(90);
                while (alive > 0) {
                    if (System.nanoTime() > deadline) {
                        fail(ctx + ": children did not get far enough within 90 s" + children.get(0).stderrTail());
                    }
                    boolean allReady = true;
                    for (int w = 0; w < WRITERS; w++) {
                        allReady &= ready[w] || killed[w];
                    }
                    for (int w = 0; w < WRITERS; w++) {
                        if (killed[w]) {
                            continue;
                        }
                        ChildJvm c = children.get(w);
                        String line;
                        while ((line = c.nextLine(0, TimeUnit.MILLISECONDS)) != null) {
                            ready[w] |= handle(line, acks, ctx, c);
                        }
                        if (killAt[w] < 0 && allReady) {
                            // Once everybody writes: between 50 and 1,500 ms of writing side by side.
                            killAt[w] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + rnd.nextInt(1_450));
                        }
                        if (killAt[w] > 0 && System.nanoTime() >= killAt[w]) {
                            c.kill();
                            for (String rest : c.drain(30, TimeUnit.SECONDS)) {
                                ready[w] |= handle(rest, acks, ctx, c);
                            }
                            killed[w] = true;
                            killedBeforeReady += ready[w] ? 0 : 1;
                            alive--;
                        }
                    }
                    Thread.sleep(1);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
            for (Ack a : acks) {
                assertThat(a.revision()).as(ctx + ": acknowledged %s has a revision not seen before", a)
                        .isGreaterThan(lastSeen);
            }
            acked.addAll(acks);
            try (KvStore store = KvStore.builder().directory(dir).build()) {
                lastSeen = verify(store.bucket(BUCKET), acked, ctx);
            }
        }
        System.out.println("MultiWriterSigkillTest: " + rounds + " rounds of " + WRITERS + " writers, "
                + acked.size() + " acknowledged puts, " + killedBeforeReady + " killed before the store was open, "
                + "last revision " + lastSeen);
        assertThat(acked.size()).as("the children got writes through at all").isGreaterThan(rounds * WRITERS);
        if (acked.stream().anyMatch(a -> a.writer() < WRITERS - 2)) {
            assertThat(dir.resolve(BUCKET).resolve(SlotTable.NAME)).as("writes were handed off").exists();
        }
    }

    private static boolean handle(String line, List<Ack> acks, String ctx, ChildJvm child) {
        if (line.equals("READY")) {
            return true;
        }
        if (line.startsWith("ACK ")) {
            acks.add(Ack.parse(line));
            return true;
        }
        if (line.equals(ChildJvm.EOF)) {
            return false;
        }
        fail(ctx + ": unexpected line from child: " + line + child.stderrTail());
        return false;
    }

    /** Checks the reopened bucket against every acknowledgement so far; returns its last revision. */
    private static long verify(Bucket bucket, List<Ack> acked, String ctx) {
        TreeMap<Long, Entry> byRevision = new TreeMap<>();
        for (String key : bucket.keys()) {
            List<Entry> history = bucket.history(key);
            assertThat(history).as(ctx + ": %s was written once", key).hasSize(1);
            Entry e = history.get(0);
            assertThat(e.operation()).isEqualTo(Operation.PUT);
            CrashValues.Decoded d;
            try {
                d = CrashValues.decode(e.value());
            } catch (IllegalStateException bad) {
                throw new AssertionError(ctx + ": " + e + " is damaged: " + bad.getMessage());
            }
            assertThat(d.key()).as(ctx + ": value of %s was written for that key", e).isEqualTo(key);
            assertThat(byRevision.put(e.revision(), e)).as(ctx + ": revision %d under one key only", e.revision())
                    .isNull();
        }
        long last = bucket.status().lastRevision();
        assertThat(byRevision.size()).as(ctx + ": revisions 1..%d without a gap", last).isEqualTo((int) last);
        if (!byRevision.isEmpty()) {
            assertThat(byRevision.firstKey()).isEqualTo(1);
            assertThat(byRevision.lastKey()).isEqualTo(last);
        }
        Map<String, Long> previousByWriter = new HashMap<>();
        for (Ack a : acked) {
            Entry e = byRevision.get(a.revision());
            if (e == null || !e.key().equals(a.key())) {
                fail(ctx + ": acknowledged " + a + " is missing; revision " + a.revision() + " holds " + e);
            }
            assertThat(e.value()).as(ctx + ": value of acknowledged %s", a)
                    .isEqualTo(CrashValues.make(a.key(), a.run(), a.seq()));
            String writer = a.writer() + "/" + a.run();
            Long previous = previousByWriter.put(writer, a.revision());
            if (previous != null) {
                assertThat(a.revision()).as(ctx + ": writer %s's puts in the order it made them", writer)
                        .isGreaterThan(previous);
            }
        }
        return last;
    }
}
