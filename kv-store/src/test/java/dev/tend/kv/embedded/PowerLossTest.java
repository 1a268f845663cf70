package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.TestLocks;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Power loss at every point of a workload. The workload (bucket creation, puts small and large, create, update,
 * delete, purge, a second bucket, purge of a whole bucket, removal of markers) runs on a
 * {@link PowerLossStorageIo} that crashes at its N-th mutating file operation, for every N from 1 to the
 * workload's count; then every file is cut back to what was forced (sometimes with a torn, unforced tail, the
 * head file deleted, zeroed or kept) and a fresh store on the real file system must show exactly the state after
 * the acknowledged steps — or after one more, the step in flight, if it made it to disk whole. Then it must take
 * new writes (with new revisions) and show the same after another reopen.
 *
 * <p>The expected states come from running the same workload without a crash, so the test checks durability
 * and recovery, not the semantics (the contract suite does that). Seed: {@code -Dtend.powerloss.seed=N}.
 */
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ)
@Order(2) // long: started early
class PowerLossTest {
    private static final String A = "pl";
    private static final String B = "pl2";
    private static final List<String> KEYS = List.of("k.1", "k.2", "k.3", "k.4", "big.5", "after.crash");

    @TempDir
    Path tmp;

    /** One step of the workload: runs against a store and returns what it returned, or the error's class. */
    record Step(String description, Function<KvStore, String> action) {
        String run(KvStore store) {
            try {
                return action.apply(store);
            } catch (PowerLossStorageIo.SimulatedCrash crash) {
                throw crash;
            } catch (dev.tend.kv.KvException e) {
                if (hasCrashCause(e)) {
                    throw e;
                }
                return "error " + e.getClass().getSimpleName();
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static boolean hasCrashCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PowerLossStorageIo.SimulatedCrash) {
                return true;
            }
        }
        return false;
    }

    /** The workload, the same for every seed's crash point; values are self-checking. */
    static List<Step> workload(long seed) {
        Random r = new Random(seed);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("create bucket " + A + " history 3", s -> {
            s.create(BucketConfig.builder(A).history(3).build());
            return "ok";
        }));
        addRandomOps(steps, r, 24, 100);
        steps.add(new Step("create bucket " + B + " history 1", s -> {
            s.create(BucketConfig.builder(B).history(1).description("second").build());
            return "ok";
        }));
        for (int i = 0; i < 4; i++) {
            String key = KEYS.get(i % 2);
            int seq = 200 + i;
            steps.add(new Step("put " + B + " " + key + " #" + seq, s ->
                    "rev " + s.bucket(B).put(key, CrashValues.make(key, 2, seq))));
        }
        steps.add(new Step("purge bucket " + B, s -> {
            s.bucket(B).purgeAll();
            return "ok";
        }));
        steps.add(new Step("put " + B + " k.3 #210", s -> "rev " + s.bucket(B).put("k.3", CrashValues.make("k.3", 2, 210))));
        steps.add(new Step("remove every marker of " + A, s -> "purged " + s.bucket(A).purgeDeletes(Duration.ofSeconds(-1))));
        addRandomOps(steps, r, 12, 300);
        // Background compaction (trim), then more history than the limit in the log: what a config change must
        // not bring back.
        steps.add(new Step("compact " + A, s -> {
            ((EmbeddedBucket) s.bucket(A)).compactNow();
            return "ok";
        }));
        for (int i = 0; i < 4; i++) {
            int seq = 350 + i;
            steps.add(new Step("put k.1 #" + seq, s -> "rev " + s.bucket(A).put("k.1", CrashValues.make("k.1", 1, seq))));
        }
        steps.add(new Step("update config of " + A + " (history 4)", s -> {
            s.update(BucketConfig.builder(A).history(4).description("edited").build());
            return "ok";
        }));
        addRandomOps(steps, r, 10, 400);
        return steps;
    }

    private static void addRandomOps(List<Step> steps, Random r, int count, int seqBase) {
        List<String> keys = KEYS.subList(0, 5);
        for (int i = 0; i < count; i++) {
            String key = keys.get(r.nextInt(keys.size()));
            int seq = seqBase + i;
            int dice = r.nextInt(100);
            if (dice < 45) {
                steps.add(new Step("put " + key + " #" + seq, s -> "rev " + s.bucket(A).put(key, CrashValues.make(key, 1, seq))));
            } else if (dice < 60) {
                steps.add(new Step("delete " + key, s -> "rev " + s.bucket(A).delete(key)));
            } else if (dice < 68) {
                steps.add(new Step("purge " + key, s -> "rev " + s.bucket(A).purge(key)));
            } else if (dice < 80) {
                steps.add(new Step("create " + key + " #" + seq, s -> "rev " + s.bucket(A).create(key, CrashValues.make(key, 1, seq))));
            } else if (dice < 92) {
                steps.add(new Step("update " + key + " #" + seq + " at its latest revision", s -> {
                    Bucket b = s.bucket(A);
                    List<Entry> h = b.history(key);
                    long rev = h.isEmpty() ? 0 : h.get(h.size() - 1).revision();
                    return "rev " + b.update(key, CrashValues.make(key, 1, seq), rev);
                }));
            } else {
                steps.add(new Step("update " + key + " #" + seq + " at a wrong revision", s ->
                        "rev " + s.bucket(A).update(key, CrashValues.make(key, 1, seq), 999_999)));
            }
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyAcknowledgedWriteSurvivesPowerLossAtEveryPoint() throws Exception {
        runAllCrashPoints(false);
    }

    /**
     * The same with a stricter disk: a new file or a rename is lost in a power loss unless its directory was
     * synced afterwards (POSIX; ext4 and xfs may do so too). Catches a missing {@link StorageIo#syncDirectory}.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyAcknowledgedWriteSurvivesPowerLossWithUnsyncedDirectories() throws Exception {
        runAllCrashPoints(true);
    }

    private void runAllCrashPoints(boolean strictDirectories) throws Exception {
        long seed = Long.getLong("tend.powerloss.seed", System.nanoTime());
        String label = "PowerLossTest" + (strictDirectories ? "[strict directories]" : "");
        System.out.println(label + " seed=" + seed + " (repeat with -Dtend.powerloss.seed=" + seed + ")");
        List<Step> steps = workload(seed);

        // The expected state after each step, from a run on the real file system.
        List<String> expected = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        Path refDir = tmp.resolve("reference");
        try (KvStore ref = TestStores.open(refDir, new NioStorageIo())) {
            expected.add(StoreState.capture(ref, KEYS, true));
            for (Step step : steps) {
                outcomes.add(step.run(ref));
                expected.add(StoreState.capture(ref, KEYS, true));
            }
        }
        assertThat(expected.get(expected.size() - 1)).as("reference run holds no damaged value")
                .doesNotContain("!!");

        // The same workload on the power-loss layer without a crash: how many operations there are to crash at.
        long total;
        Path countDir = tmp.resolve("count");
        PowerLossStorageIo counting = new PowerLossStorageIo(strictDirectories, seed);
        try (KvStore s = TestStores.open(countDir, counting)) {
            for (int i = 0; i < steps.size(); i++) {
                assertThat(steps.get(i).run(s)).as("step %d %s gives the same outcome on the test layer", i + 1,
                        steps.get(i)).isEqualTo(outcomes.get(i));
            }
            total = counting.operations();
            assertThat(StoreState.capture(s, KEYS, true)).isEqualTo(expected.get(expected.size() - 1));
        }
        System.out.println(label + ": " + steps.size() + " steps, " + total + " mutating file operations");
        assertThat(total).as("the workload writes through the StorageIo").isGreaterThan(steps.size());

        int inFlightSurvived = 0;
        List<String> failures = new ArrayList<>();
        for (long n = 1; n <= total + 1; n++) {
            String failure = crashAt(n, strictDirectories, seed, steps, outcomes, expected);
            if (failure == null) {
                continue;
            }
            if (failure.startsWith("in-flight")) {
                inFlightSurvived++;
                continue;
            }
            failures.add(failure);
        }
        System.out.println(label + ": " + (total + 1) + " crash points, the step in flight survived in "
                + inFlightSurvived);
        if (!failures.isEmpty()) {
            StringBuilder summary = new StringBuilder();
            for (String f : failures) {
                String first = f.lines().findFirst().orElse("");
                summary.append("  ").append(first, 0, Math.min(first.length(), 300)).append('\n');
            }
            fail(label + " seed " + seed + ": " + failures.size() + " of " + (total + 1)
                    + " crash points fail:\n" + summary + "\nthe first ones in full:\n\n"
                    + String.join("\n\n", failures.subList(0, Math.min(3, failures.size()))));
        }
    }

    /** One crash point: returns null or "in-flight..." when fine, else a description of what went wrong. */
    private String crashAt(long n, boolean strict, long seed, List<Step> steps, List<String> outcomes,
                           List<String> expected) throws IOException {
        Path dir = tmp.resolve("crash-" + n);
        PowerLossStorageIo io = new PowerLossStorageIo(strict, seed * 1_000_003L + n).crashAt(n);
        int acknowledged = 0;
        KvStore store = null;
        String crashedIn = "nothing (no crash)";
        try {
            store = TestStores.open(dir, io);
            for (Step step : steps) {
                String outcome = step.run(store);
                if (!outcome.equals(outcomes.get(acknowledged))) {
                    return "crash point " + n + ": step " + (acknowledged + 1) + " " + step + " returned " + outcome
                            + " but " + outcomes.get(acknowledged) + " without a crash" + (io.crashed()
                            ? " (after the crash: a write acknowledged although the machine was down)" : "");
                }
                acknowledged++;
            }
        } catch (Throwable t) {
            if (!io.crashed()) {
                return "crash point " + n + ": step " + (acknowledged + 1) + " failed without a crash: " + t
                        + "\n" + stackOf(t);
            }
            crashedIn = acknowledged < steps.size() ? "step " + (acknowledged + 1) + " " + steps.get(acknowledged)
                    : "after the last step";
            if (store == null) {
                crashedIn = "opening the store";
            }
        }
        Throwable closeFailure = TestStores.closeQuietly(store, 10_000);
        if (closeFailure != null && !hasCrashCause(closeFailure) && !(closeFailure instanceof dev.tend.kv.KvException)) {
            return "crash point " + n + ": close after the crash failed oddly: " + closeFailure;
        }
        String context = "crash point " + n + " of seed " + seed + ", in " + crashedIn + ", " + acknowledged
                + " step(s) acknowledged";
        String powerLoss = Files.exists(dir) ? io.simulatePowerLoss(dir, new Random(seed + n)) : "(no store directory)\n";
        String details = "\npower loss:\n" + powerLoss + "last operations:\n" + tail(io.opLog(), 12);

        String stateBefore = expected.get(acknowledged);
        String stateAfterInFlight = acknowledged < steps.size() ? expected.get(acknowledged + 1) : stateBefore;
        String actual;
        String afterWrite;
        boolean inFlightSurvived;
        try (KvStore s = TestStores.open(dir, new NioStorageIo())) {
            actual = StoreState.capture(s, KEYS, true);
            if (actual.equals(stateBefore)) {
                inFlightSurvived = false;
            } else if (actual.equals(stateAfterInFlight)) {
                inFlightSurvived = true;
            } else {
                return context + ": the recovered store holds neither the acknowledged state nor that plus the step"
                        + " in flight.\nagainst the acknowledged state:\n" + StoreState.diff(stateBefore, actual)
                        + (stateAfterInFlight.equals(stateBefore) ? "" : "against the state with the step in flight:\n"
                        + StoreState.diff(stateAfterInFlight, actual)) + details;
            }
            // The recovered store takes new writes, with revisions never given out before.
            String more = writeAfterRecovery(s, actual);
            if (more != null) {
                return context + ": " + more + details;
            }
            afterWrite = StoreState.capture(s, KEYS, true);
            String oldEntries = dropKey(dropStatus(afterWrite), "after.crash");
            String recoveredEntries = dropKey(dropStatus(actual), "after.crash");
            if (s.bucketNames().size() == actual.lines().filter(l -> l.startsWith("bucket ")).count()
                    && !oldEntries.equals(recoveredEntries)) {
                return context + ": writing to the recovered store changed its older entries:\n"
                        + StoreState.diff(recoveredEntries, oldEntries) + details;
            }
        } catch (Throwable t) {
            return context + ": reopening after the power loss failed: " + t + "\n" + stackOf(t) + details;
        }
        // A second power loss, right after the first recovery's writes were acknowledged: nothing was left
        // unforced, but the head (never forced) may be lost or stale again. A recovery must then find the same
        // generation of the log as the first one did and see exactly the same.
        String secondLoss = loseHeads(dir, new Random(seed * 31 + n));
        details += "second power loss: " + secondLoss + "\n";
        try (KvStore s = TestStores.open(dir, new NioStorageIo())) {
            String again = StoreState.capture(s, KEYS, true);
            if (!again.equals(afterWrite)) {
                return context + ": after writing to the recovered store and reopening, the store changed:\n"
                        + StoreState.diff(afterWrite, again) + details;
            }
        } catch (Throwable t) {
            return context + ": the second reopen failed: " + t + "\n" + stackOf(t) + details;
        } finally {
            deleteTree(dir);
        }
        return inFlightSurvived ? "in-flight step survived" : null;
    }

    /** Deletes or zeroes every bucket's head file (it is never forced); returns what it did. */
    private static String loseHeads(Path dir, Random rnd) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of(A, B)) {
            Path head = dir.resolve(name).resolve("head");
            if (Files.exists(head)) {
                if (rnd.nextBoolean()) {
                    Files.delete(head);
                    sb.append(name).append("/head deleted ");
                } else {
                    Files.write(head, new byte[(int) Files.size(head)]);
                    sb.append(name).append("/head zeroed ");
                }
            }
        }
        return sb.toString();
    }

    /** Puts one value in each workload bucket (creating a missing one); checks the revision is new. */
    private static String writeAfterRecovery(KvStore s, String recovered) {
        for (String name : List.of(A, B)) {
            if (!s.exists(name)) {
                // A bucket whose creation was not acknowledged may be missing; creating it must work.
                s.create(BucketConfig.builder(name).history(name.equals(A) ? 3 : 1)
                        .description(name.equals(A) ? "" : "second").build());
            }
            Bucket b = s.bucket(name);
            long last = b.status().lastRevision();
            long maxSeen = maxRevision(recovered, name);
            long rev = b.put("after.crash", CrashValues.make("after.crash", 9, 1));
            if (rev <= last || rev <= maxSeen) {
                return "a put after recovery to " + name + " got revision " + rev + ", not above the last revision "
                        + last + " / newest retained " + maxSeen;
            }
            Optional<Entry> e = b.get("after.crash");
            if (e.isEmpty() || e.get().revision() != rev) {
                return "a put after recovery to " + name + " is not readable: " + e;
            }
        }
        return null;
    }

    private static long maxRevision(String capture, String bucket) {
        long max = 0;
        boolean in = false;
        for (String line : capture.lines().toList()) {
            if (line.startsWith("bucket ")) {
                in = line.startsWith("bucket " + bucket + " ");
                continue;
            }
            if (in && line.startsWith("  lastRevision=")) {
                max = Math.max(max, Long.parseLong(line.substring(15, line.indexOf(' ', 15))));
            } else if (in && line.startsWith("    ") && Character.isDigit(line.charAt(4))) {
                max = Math.max(max, Long.parseLong(line.substring(4, line.indexOf(' ', 4))));
            }
        }
        return max;
    }

    private static String dropStatus(String capture) {
        StringBuilder sb = new StringBuilder();
        capture.lines().filter(l -> !l.startsWith("  lastRevision=")).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** Removes a key's lines and its name from the keys= lines. */
    private static String dropKey(String capture, String key) {
        StringBuilder sb = new StringBuilder();
        boolean skipping = false;
        for (String l : capture.lines().toList()) {
            if (l.startsWith("  " + key + ": ")) {
                skipping = true;
                continue;
            }
            if (skipping && l.startsWith("    ")) {
                continue;
            }
            skipping = false;
            if (l.startsWith("  keys=")) {
                l = l.replace(", " + key, "").replace("[" + key + ", ", "[").replace("[" + key + "]", "[]");
            }
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    private static String tail(List<String> lines, int n) {
        List<String> t = lines.subList(Math.max(0, lines.size() - n), lines.size());
        StringBuilder sb = new StringBuilder();
        t.forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    private static String stackOf(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        String s = w.toString();
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
