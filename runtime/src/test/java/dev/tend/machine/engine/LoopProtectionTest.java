package dev.tend.machine.engine;

import dev.tend.machine.testing.FixedRandom;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LoopProtectionTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final long[] TABLE = {0, 25, 50, 75, 100, 125, 150, 200, 250, 500, 750, 1000, 1500, 2000, 2500, 3000,
            3500, 4000, 4500, 5000};

    @Test
    void aBurstOfTwentyPassesThenTheDelaysFollowTheReferenceTableUpToItsLastEntry() {
        LoopProtection p = new LoopProtection(new FixedRandom(0.5)); // jitter exactly 1.0
        Instant t = T0;
        for (int i = 0; i < LoopProtection.BURST; i++) {
            assertThat(p.delayBeforeNext(t)).as("transition %d of the burst", i + 1).isZero();
            p.record(t);
            t = t.plusMillis(10);
        }
        for (int k = 1; k <= 25; k++) {
            assertThat(p.delayBeforeNext(t)).as("transition %d beyond the burst", k)
                    .isEqualTo(Duration.ofMillis(TABLE[Math.min(k, 19)]));
            p.record(t);
            t = t.plusMillis(10);
        }
        assertThat(p.beyondBurst()).isEqualTo(25);
    }

    @Test
    void theJitterStaysWithinHalfAndOneAndAHalfOfTheTable() {
        LoopProtection low = new LoopProtection(new FixedRandom(0.0));
        LoopProtection high = new LoopProtection(new FixedRandom(0.999999));
        for (int i = 0; i < LoopProtection.BURST + 10; i++) {
            low.record(T0);
            high.record(T0);
        }
        // 10 beyond the burst: the next is the 11th, table value 1000 ms
        assertThat(low.delayBeforeNext(T0)).isEqualTo(Duration.ofMillis(500));
        assertThat(high.delayBeforeNext(T0)).isBetween(Duration.ofMillis(1499), Duration.ofMillis(1500));
    }

    @Test
    void transitionsSpreadOverMoreThanTheWindowAreNeverDelayed() {
        LoopProtection p = new LoopProtection(new FixedRandom(0.5));
        Instant t = T0;
        for (int i = 0; i < 200; i++) { // one every 600 ms: at most 17 in any 10 s
            assertThat(p.delayBeforeNext(t)).as("transition %d", i).isZero();
            p.record(t);
            t = t.plusMillis(600);
        }
    }

    @Test
    void theTwentyFirstWithinTenSecondsIsDelayedEvenWhenTheFirstWasLongAgo() {
        LoopProtection p = new LoopProtection(new FixedRandom(0.5));
        p.record(T0);
        Instant t = T0.plusSeconds(30); // the first has left the window
        for (int i = 0; i < LoopProtection.BURST; i++) {
            assertThat(p.delayBeforeNext(t)).isZero();
            p.record(t);
        }
        assertThat(p.delayBeforeNext(t)).isEqualTo(Duration.ofMillis(25));
    }

    @Test
    void onceDelayingItKeepsDelayingUntilAQuietMinute() {
        LoopProtection p = new LoopProtection(new FixedRandom(0.5));
        for (int i = 0; i < LoopProtection.BURST + 3; i++) {
            p.record(T0);
        }
        // 59 s later the window is empty, but the machine has not been quiet for a minute: still delayed
        Instant later = T0.plusSeconds(59);
        assertThat(p.delayBeforeNext(later)).isEqualTo(Duration.ofMillis(100));
        p.record(later);
        // a quiet minute after the last one resets everything
        Instant quiet = later.plus(LoopProtection.QUIET);
        assertThat(p.delayBeforeNext(quiet)).isZero();
        p.record(quiet);
        assertThat(p.beyondBurst()).isZero();
        for (int i = 1; i < LoopProtection.BURST; i++) {
            assertThat(p.delayBeforeNext(quiet)).isZero();
            p.record(quiet);
        }
        assertThat(p.delayBeforeNext(quiet)).isEqualTo(Duration.ofMillis(25));
    }
}
