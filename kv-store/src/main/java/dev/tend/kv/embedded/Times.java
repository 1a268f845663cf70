package dev.tend.kv.embedded;

import java.time.Instant;

/** Epoch nanoseconds, the engine's one time unit on disk and in the index. */
final class Times {
    private Times() {
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
