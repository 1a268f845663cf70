package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;

import java.time.Duration;

/**
 * What a compaction drops besides what the log replay already drops (history beyond the limit, entries before a
 * purge): TTL-expired entries always, and per kind old markers, everything, or what a new config no longer keeps.
 */
record Compaction(Kind kind, Duration olderThan, BucketConfig newConfig) {

    enum Kind {
        /** Background reclaiming of dead records. */
        TRIM,
        /** JetStream's PurgeDeletes. */
        PURGE_DELETES,
        /** Purge of the whole bucket. */
        CLEAR,
        /** A config change: trim to the new history. */
        RECONFIGURE
    }

    static Compaction trim() {
        return new Compaction(Kind.TRIM, null, null);
    }

    static Compaction purgeDeletes(Duration olderThan) {
        return new Compaction(Kind.PURGE_DELETES, olderThan, null);
    }

    static Compaction clear() {
        return new Compaction(Kind.CLEAR, null, null);
    }

    static Compaction reconfigure(BucketConfig config) {
        return new Compaction(Kind.RECONFIGURE, null, config);
    }

    /** Only a trim may run while writers go on; the others change what writers see and take the locks. */
    boolean background() {
        return kind == Kind.TRIM;
    }

    /** Applies the policy to a freshly replayed index; returns how many keys it changed (where that is asked). */
    long apply(KeyIndex fresh, long nowNanos, BucketConfig current) {
        if (current.hasTtl()) {
            fresh.expire(nowNanos - current.ttl().toNanos());
        }
        return switch (kind) {
            case TRIM -> 0;
            case PURGE_DELETES -> fresh.purgeDeletes(olderThan.isNegative() ? Long.MAX_VALUE
                    : nowNanos - olderThan.toNanos());
            case CLEAR -> {
                long n = fresh.keyCount();
                fresh.clear();
                yield n;
            }
            case RECONFIGURE -> {
                fresh.retrim(newConfig.history());
                yield 0;
            }
        };
    }
}
