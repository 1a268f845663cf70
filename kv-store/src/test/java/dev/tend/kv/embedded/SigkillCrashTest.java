package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.TestLocks;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * kill -9 at random moments: a child JVM puts self-checking values (some about 50 KB, two writer threads so group
 * commit is in play) and reports each put only after it returned; the parent kills it with SIGKILL at a random
 * point — sometimes while it is still opening (recovering) the store — then reopens the store and checks that
 * every acknowledged revision is there with its exact value, that nothing returned is torn, and that revisions
 * are never reused. Every run continues on the same store, so earlier torn tails are recovered too.
 *
 * <p>Seed: {@code -Dtend.crash.seed=N} repeats a run's choices (the kill timing itself stays up to the OS);
 * {@code -Dtend.crash.runs=N} changes the number of kills.
 */
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ)
@Order(2) // long: started early
class SigkillCrashTest {
    private static final String BUCKET = "crash";
    private static final int HISTORY = 64;
    /** Values of 0.5 to 1.5 MB: a kill often lands while one is being written. Short history: little to read. */
    private static final String HUGE_BUCKET = "crash-huge";
    private static final int HUGE_HISTORY = 2;

    @TempDir
    Path tmp;

    /** An acknowledged put as the child reported it. */
    record Ack(String bucket, long revision, String key, int run, long seq, String sha256) {
        static Ack parse(String line) {
            String[] p = line.split(" ");
            return new Ack(p[1], Long.parseLong(p[2]), p[3], Integer.parseInt(p[4]), Long.parseLong(p[5]), p[6]);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void acknowledgedWritesSurviveKillNine() throws Exception {
        long seed = Long.getLong("tend.crash.seed", System.nanoTime());
        int runs = Integer.getInteger("tend.crash.runs", 25);
        System.out.println("SigkillCrashTest seed=" + seed + " runs=" + runs + " (repeat with -Dtend.crash.seed="
                + seed + ")");
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            store.create(BucketConfig.builder(BUCKET).history(HISTORY).build());
            store.create(BucketConfig.builder(HUGE_BUCKET).history(HUGE_HISTORY).build());
        }

        Map<String, Map<String, List<Ack>>> acked = new HashMap<>();
        Map<String, Long> maxSeen = new HashMap<>(Map.of(BUCKET, 0L, HUGE_BUCKET, 0L));
        int totalAcks = 0;
        int killedBeforeReady = 0;
        int tornTailsCut = 0;
        for (int run = 1; run <= runs; run++) {
            String ctx = "seed " + seed + ", run " + run;
            boolean killDuringStartup = rnd.nextInt(5) == 0;
            int killAfterAcks = 1 + rnd.nextInt(80);
            int startupDelayMs = rnd.nextInt(700);
            int extraDelayMicros = rnd.nextInt(4_000);
            // Most runs aim the kill at a huge put in progress: just after it announced itself.
            boolean aimAtHugeWrite = rnd.nextInt(3) != 0;
            int hugeDelayMicros = 100 + rnd.nextInt(1_200);
            List<Ack> acks = new ArrayList<>();
            boolean ready = false;
            ChildJvm child = ChildJvm.start("writer-" + run, tmp.resolve("logs"), "writer", dir.toString(), BUCKET,
                    Integer.toString(run), "2", HUGE_BUCKET);
            try {
                if (killDuringStartup) {
                    // Somewhere in JVM start-up, store open or recovery of the previous run's tail, or the first puts.
                    Thread.sleep(startupDelayMs);
                } else {
                    while (acks.size() < killAfterAcks) {
                        String line = child.nextLine(60, TimeUnit.SECONDS);
                        if (line == null || line.equals(ChildJvm.EOF)) {
                            fail(ctx + ": child stopped or hung before being killed (" + line + ")"
                                    + child.stderrTail());
                        }
                        ready |= handle(line, acks, ctx, child);
                    }
                    if (aimAtHugeWrite) {
                        while (true) {
                            String line = child.nextLine(60, TimeUnit.SECONDS);
                            if (line == null || line.equals(ChildJvm.EOF)) {
                                fail(ctx + ": child stopped or hung before being killed (" + line + ")"
                                        + child.stderrTail());
                            }
                            ready |= handle(line, acks, ctx, child);
                            if (line.startsWith("BEGIN ")) {
                                break;
                            }
                        }
                        busyWaitMicros(hugeDelayMicros);
                    } else {
                        busyWaitMicros(extraDelayMicros);
                    }
                }
                child.kill();
                for (String line : child.drain(30, TimeUnit.SECONDS)) {
                    ready |= handle(line, acks, ctx, child);
                }
            } finally {
                child.close();
            }
            if (!ready) {
                killedBeforeReady++;
            }
            totalAcks += acks.size();
            for (Ack a : acks) {
                assertThat(a.revision()).as(ctx + ": revision of acknowledged %s is new (not reused)", a)
                        .isGreaterThan(maxSeen.get(a.bucket()));
                acked.computeIfAbsent(a.bucket(), b -> new HashMap<>())
                        .computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a);
            }
            long sizeBefore = logSize(dir.resolve(BUCKET)) + logSize(dir.resolve(HUGE_BUCKET));
            try (KvStore store = KvStore.builder().directory(dir).build()) {
                maxSeen.put(BUCKET, verify(store.bucket(BUCKET), HISTORY, ChildMain.WRITER_KEYS,
                        acked.getOrDefault(BUCKET, Map.of()), acks, ctx, maxSeen.get(BUCKET)));
                maxSeen.put(HUGE_BUCKET, verify(store.bucket(HUGE_BUCKET), HUGE_HISTORY, ChildMain.HUGE_KEYS,
                        acked.getOrDefault(HUGE_BUCKET, Map.of()), acks, ctx, maxSeen.get(HUGE_BUCKET)));
            }
            if (logSize(dir.resolve(BUCKET)) + logSize(dir.resolve(HUGE_BUCKET)) < sizeBefore) {
                tornTailsCut++;
            }
        }
        System.out.println("SigkillCrashTest: " + runs + " kills, " + totalAcks + " acknowledged puts, "
                + killedBeforeReady + " kills before the store was open, " + tornTailsCut
                + " torn tails cut on reopening, last revisions " + maxSeen);
        assertThat(totalAcks).as("the children got writes through at all").isGreaterThan(runs);
    }

    private static boolean handle(String line, List<Ack> acks, String ctx, ChildJvm child) {
        if (line.equals("READY")) {
            return true;
        }
        if (line.startsWith("ACK ")) {
            acks.add(Ack.parse(line));
            return false;
        }
        if (line.startsWith("BEGIN ")) {
            return false;
        }
        fail(ctx + ": unexpected line from child: " + line + child.stderrTail());
        return false;
    }

    /** Checks a reopened bucket against every acknowledgement so far; returns the newest revision seen. */
    private static long verify(Bucket bucket, int historyLimit, List<String> keys, Map<String, List<Ack>> ackedByKey,
                               List<Ack> thisRun, String ctx, long maxSeenBefore) {
        long maxSeen = maxSeenBefore;
        {
            Set<Long> allRevisions = new HashSet<>();
            Map<String, Long> mustRetainFrom = new HashMap<>();
            for (String key : keys) {
                List<Entry> history = bucket.history(key);
                long prev = 0;
                Map<Long, Entry> byRevision = new HashMap<>();
                for (Entry e : history) {
                    assertThat(e.revision()).as(ctx + ": history of %s strictly increasing", key).isGreaterThan(prev);
                    prev = e.revision();
                    assertThat(allRevisions.add(e.revision())).as(ctx + ": revision %d appears under one key only",
                            e.revision()).isTrue();
                    assertThat(e.operation()).as(ctx + ": %s", e).isEqualTo(Operation.PUT);
                    assertThat(e.key()).isEqualTo(key);
                    CrashValues.Decoded d;
                    try {
                        d = CrashValues.decode(e.value());
                    } catch (IllegalStateException bad) {
                        throw new AssertionError(ctx + ": " + e + " is damaged: " + bad.getMessage());
                    }
                    assertThat(d.key()).as(ctx + ": value of %s was written for that key", e).isEqualTo(key);
                    byRevision.put(e.revision(), e);
                }
                assertThat(history.size()).as(ctx + ": history of %s within the limit", key)
                        .isLessThanOrEqualTo(historyLimit);
                maxSeen = Math.max(maxSeen, prev);
                long oldestRetained = history.isEmpty() ? Long.MAX_VALUE : history.get(0).revision();
                boolean windowFull = history.size() == historyLimit;
                mustRetainFrom.put(key, windowFull ? oldestRetained : 0);
                for (Ack a : ackedByKey.getOrDefault(key, List.of())) {
                    if (windowFull && a.revision() < oldestRetained) {
                        continue; // legitimately dropped by the history limit
                    }
                    Entry e = byRevision.get(a.revision());
                    if (e == null) {
                        fail(ctx + ": acknowledged " + a + " is missing; history of " + key + " holds revisions "
                                + history.stream().map(Entry::revision).toList());
                    }
                    assertThat(CrashValues.sha256(e.value())).as(ctx + ": value of acknowledged %s", a)
                            .isEqualTo(a.sha256());
                    assertThat(e.value()).isEqualTo(CrashValues.make(a.key(), a.run(), a.seq()));
                }
                // The latest entry is what get returns.
                Optional<Entry> latest = bucket.get(key);
                if (history.isEmpty()) {
                    assertThat(latest).as(ctx + ": get %s", key).isEmpty();
                } else {
                    assertThat(latest).as(ctx + ": get %s", key).isPresent();
                    assertThat(latest.get().revision()).as(ctx + ": get %s is the newest of its history", key)
                            .isEqualTo(history.get(history.size() - 1).revision());
                    assertThat(latest.get().value()).isEqualTo(history.get(history.size() - 1).value());
                }
            }
            // This run's acknowledgements, read one by one at their revision (where the history still holds them).
            for (Ack a : thisRun) {
                if (!a.bucket().equals(bucket.name()) || a.revision() < mustRetainFrom.get(a.key())) {
                    continue;
                }
                Optional<Entry> e = bucket.get(a.key(), a.revision());
                assertThat(e).as(ctx + ": get(%s, %d)", a.key(), a.revision()).isPresent();
                assertThat(CrashValues.sha256(e.get().value())).as(ctx + ": get(%s, %d)", a.key(), a.revision())
                        .isEqualTo(a.sha256());
            }
            assertThat(bucket.status().lastRevision()).as(ctx + ": the bucket's last revision")
                    .isGreaterThanOrEqualTo(maxSeen);
        }
        return maxSeen;
    }

    /** The bytes of the bucket's log files together. */
    private static long logSize(Path bucketDir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(bucketDir)) {
            long total = 0;
            for (Path p : files.filter(p -> p.getFileName().toString().matches("log-\\d+\\.tkv")).toList()) {
                total += java.nio.file.Files.size(p);
            }
            return total;
        }
    }

    private static void busyWaitMicros(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
