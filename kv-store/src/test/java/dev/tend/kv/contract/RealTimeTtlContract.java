package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.WatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bucket TTL as time passes: what {@link TtlContract} checks with single moves of the clock, here with time passing
 * in small steps while the test waits for each expiry, for every backend, including one that keeps its own time
 * (NATS expires entries on the server's clock). A backend that takes its time from the store clock
 * ({@link #controlsTime()}) runs on the test's clock, which {@link #passTime} moves; on any other, the stores run on
 * the system clock and real time passes: there the tests of a class run side by side, so that the class takes about
 * one TTL and not one per test.
 *
 * <p>No test asserts how soon anything happened: each checks that an entry is there right after its write (well
 * inside the TTL) and that it is gone eventually, polling with a generous deadline. Where two entries of different
 * ages are compared, they are written {@link #GAP} apart and the test looks in that window, after the older one
 * went ({@link #acrossTheGap}): in real time a loaded machine can let the younger entries expire too before the test
 * has looked, and then the test runs again in a new bucket with twice the TTL and gap.
 */
@Execution(ExecutionMode.CONCURRENT)
public abstract class RealTimeTtlContract extends KvContractSupport {

    protected static final Duration TTL = Duration.ofSeconds(2);
    /** Between an older and a younger write: the younger outlives the older by this much. */
    protected static final Duration GAP = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** How much time passes between two looks at a condition. */
    private static final Duration POLL = Duration.ofMillis(50);

    /** The test's clock where the backend takes its time from it; else the system clock. */
    @Override
    protected Clock storeClock() {
        return controlsTime() ? clock : Clock.systemUTC();
    }

    /** How many times {@link #acrossTheGap} runs a test whose younger entries expired before it looked. */
    private static final int WINDOW_ATTEMPTS = 4;

    private Bucket ttlBucket() {
        return ttlBucket(TTL);
    }

    private Bucket ttlBucket(Duration ttl) {
        return newBucket(b -> b.ttl(ttl).history(5));
    }

    /** A test of an older and a younger write a gap apart, in its own bucket. */
    protected interface GapTest {
        void run(Window window);
    }

    /** What a {@link GapTest} runs in: its bucket, the gap, and the younger entries it expects to outlive the check. */
    protected final class Window {
        private final Bucket bucket;
        private final Duration gap;
        private BooleanSupplier youngerThere = () -> true;

        private Window(Bucket bucket, Duration gap) {
            this.bucket = bucket;
            this.gap = gap;
        }

        public Bucket bucket() {
            return bucket;
        }

        /** Lets the gap between the older and the younger writes pass. */
        public void passGap() {
            passTime(gap);
        }

        /**
         * Whether the younger entries are still there: asked after the test's checks. Entries only go, so if they are
         * still there after the checks they were there during them.
         */
        public void younger(BooleanSupplier stillThere) {
            this.youngerThere = stillThere;
        }
    }

    /**
     * Runs {@code test} in a bucket with {@link #TTL} and {@link #GAP}. Where its checks fail and the younger entries
     * are gone too, the machine paused for longer than the gap somewhere between the writes and the checks, and the
     * test missed its window: it runs again in a new bucket with twice the TTL and gap, up to
     * {@link #WINDOW_ATTEMPTS} times. A failure while the younger entries are still there is reported at once.
     *
     * @return the bucket of the run that passed
     */
    protected Bucket acrossTheGap(GapTest test) {
        Duration ttl = TTL;
        Duration gap = GAP;
        for (int attempt = 1; ; attempt++) {
            Window window = new Window(ttlBucket(ttl), gap);
            try {
                test.run(window);
                return window.bucket;
            } catch (AssertionError e) {
                if (attempt == WINDOW_ATTEMPTS || window.youngerThere.getAsBoolean()) {
                    throw e;
                }
            }
            ttl = ttl.multipliedBy(2);
            gap = gap.multipliedBy(2);
        }
    }

    @Test
    void entryIsThereAfterItsWriteAndGoneForGetAndKeysOnceItExpired() {
        Bucket bucket = ttlBucket();
        long rev = bucket.put("k", "v");

        assertThat(bucket.get("k")).isPresent();
        assertThat(bucket.get("k", rev)).isPresent();
        assertThat(bucket.keys()).containsExactly("k");

        eventually("k expired", () -> bucket.get("k").isEmpty());
        assertThat(bucket.get("k", rev)).isEmpty();
        assertThat(bucket.keys()).isEmpty();
        assertThat(bucket.history("k")).isEmpty();
    }

    @Test
    void expiredKeysAreNotListedWhileYoungerOnesAre() {
        acrossTheGap(w -> {
            Bucket bucket = w.bucket();
            bucket.put("old", "v");
            w.passGap();
            bucket.put("young", "v");
            w.younger(() -> bucket.get("young").isPresent());
            assertThat(bucket.keys()).containsExactly("old", "young");

            eventually("old expired", () -> !bucket.keys().contains("old"));

            assertThat(bucket.keys()).containsExactly("young");
            assertThat(bucket.keys(List.of("old"))).isEmpty();
            assertThat(bucket.keys(List.of("young"))).containsExactly("young");
        });
    }

    @Test
    void historyEntriesExpireOneByOne() {
        Bucket passed = acrossTheGap(w -> {
            Bucket bucket = w.bucket();
            bucket.put("k", "1");
            w.passGap();
            bucket.put("k", "2");
            bucket.delete("k");
            w.younger(() -> !bucket.history("k").isEmpty());
            assertThat(show(bucket.history("k"))).containsExactly("k=1", "k=2", "k DEL");

            eventually("the first entry expired", () -> bucket.history("k").size() < 3);
            assertThat(show(bucket.history("k"))).as("the younger entries outlive the first")
                    .containsExactly("k=2", "k DEL");
        });
        // No window to miss here.
        eventually("every entry expired", () -> passed.history("k").isEmpty());
    }

    @Test
    void putRestartsTheKeysLifetime() {
        acrossTheGap(w -> {
            Bucket bucket = w.bucket();
            bucket.put("k", "1");
            w.passGap();
            bucket.put("k", "2");
            w.younger(() -> bucket.get("k").isPresent());

            eventually("the first value expired", () -> bucket.history("k").size() < 2);

            assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("2");
            assertThat(show(bucket.history("k"))).containsExactly("k=2");
        });
    }

    @Test
    void expiredEntriesAreNotAmongAWatchsInitialEntries() {
        acrossTheGap(w -> {
            Bucket bucket = w.bucket();
            bucket.put("old", "1");
            bucket.put("both", "old");
            w.passGap();
            bucket.put("young", "1");
            bucket.put("both", "new");
            w.younger(() -> bucket.get("young").isPresent() && bucket.get("both").isPresent());
            // Written a moment apart, the two older entries may expire a moment apart too: wait for both.
            eventually("the older entries expired", () -> bucket.get("old").isEmpty()
                    && bucket.history("both").size() == 1);

            WatchRecorder latest = recorder();
            WatchRecorder all = recorder();
            watch(bucket, List.of(), WatchOptions.defaults(), latest);
            watch(bucket, List.of(), WatchOptions.defaults().withIncludeHistory(), all);
            latest.awaitCaughtUp();
            all.awaitCaughtUp();

            assertThat(show(latest.distinctEntries())).containsExactly("young=1", "both=new");
            assertThat(show(all.distinctEntries())).containsExactly("young=1", "both=new");
        });
    }

    @Test
    void watchOfAnAllExpiredBucketIsCaughtUpWithNothing() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "v");
        eventually("k expired", () -> bucket.get("k").isEmpty());

        WatchRecorder r = recorder();
        watch(bucket, List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();

        assertThat(r.entries()).isEmpty();
    }

    @Test
    void keyWhoseEntriesAllExpiredCanBeCreatedAgainWithANewRevision() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "v");
        long last = bucket.delete("k");
        bucket.put("c", "v");
        eventually("every entry expired", () -> bucket.history("k").isEmpty() && bucket.get("c").isEmpty());

        // As in JetStream, expired entries are gone: revision 0 now means "no entries".
        long rev = bucket.update("k", bytes("fresh"), 0);
        long created = bucket.create("c", bytes("again"));

        assertThat(rev).as("revisions are not reused after expiry").isGreaterThan(last);
        assertThat(bucket.getExisting("k").revision()).isEqualTo(rev);
        assertThat(show(bucket.history("k"))).containsExactly("k=fresh");
        assertThat(bucket.getExisting("c").revision()).isEqualTo(created);
    }

    @Test
    void zeroTtlKeepsEntriesAfterOthersExpired() {
        Bucket forever = newBucket(b -> b.ttl(Duration.ZERO));
        Bucket expiring = ttlBucket();
        forever.put("k", "v");
        expiring.put("k", "v");

        eventually("the TTL bucket's entry expired", () -> expiring.get("k").isEmpty());

        assertThat(forever.getExisting("k").valueAsString()).isEqualTo("v");
        assertThat(forever.keys()).containsExactly("k");
    }

    // ---- helpers

    /**
     * Polls until the condition holds, letting {@link #POLL} pass between two looks; fails once {@link #DEADLINE}
     * has passed.
     */
    protected void eventually(String what, BooleanSupplier condition) {
        Duration passed = Duration.ZERO;
        while (!condition.getAsBoolean()) {
            if (passed.compareTo(DEADLINE) > 0) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + "s: " + what);
            }
            passTime(POLL);
            passed = passed.plus(POLL);
        }
    }

    /**
     * Lets time pass: moves the test's clock where the stores run on it, else sleeps. Never used to assert how long
     * anything took.
     */
    protected void passTime(Duration d) {
        if (controlsTime()) {
            clock.advance(d);
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
