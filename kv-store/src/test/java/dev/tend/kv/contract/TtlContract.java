package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.WatchOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bucket TTL: every entry ages out on its own clock, so an entry older than the TTL is gone for get, keys,
 * history and a watch's initial entries. These tests move the store's clock, so they run only on a backend that
 * takes its time from it.
 */
public abstract class TtlContract extends KvContractSupport {

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration PAST_TTL = TTL.plusMillis(1);

    @BeforeEach
    void needsClock() {
        assumeControlsTime();
    }

    private Bucket ttlBucket() {
        return newBucket(b -> b.ttl(TTL).history(5));
    }

    @Test
    void entryYoungerThanTheTtlIsVisible() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "v");

        clock.advance(TTL.minusSeconds(1));

        assertThat(bucket.get("k")).isPresent();
        assertThat(bucket.keys()).containsExactly("k");
    }

    @Test
    void entryOlderThanTheTtlIsGoneForGet() {
        Bucket bucket = ttlBucket();
        long rev = bucket.put("k", "v");

        clock.advance(PAST_TTL);

        assertThat(bucket.get("k")).isEmpty();
        assertThat(bucket.get("k", rev)).isEmpty();
    }

    @Test
    void expiredKeysAreNotListed() {
        Bucket bucket = ttlBucket();
        bucket.put("old", "v");
        clock.advance(TTL.dividedBy(2));
        bucket.put("young", "v");

        clock.advance(TTL.dividedBy(2).plusMillis(1));

        assertThat(bucket.keys()).containsExactly("young");
        assertThat(bucket.keys(List.of("old"))).isEmpty();
    }

    @Test
    void historyEntriesExpireOneByOne() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "1");
        clock.advance(TTL.dividedBy(2));
        bucket.put("k", "2");
        bucket.delete("k");

        clock.advance(TTL.dividedBy(2).plusMillis(1));
        assertThat(show(bucket.history("k"))).containsExactly("k=2", "k DEL");

        clock.advance(TTL);
        assertThat(bucket.history("k")).isEmpty();
    }

    @Test
    void putRestartsTheKeysLifetime() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "1");
        clock.advance(TTL.multipliedBy(6).dividedBy(10));
        bucket.put("k", "2");

        clock.advance(TTL.multipliedBy(6).dividedBy(10));

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("2");
        assertThat(show(bucket.history("k"))).containsExactly("k=2");
    }

    @Test
    void expiredEntriesAreNotAmongAWatchsInitialEntries() {
        Bucket bucket = ttlBucket();
        bucket.put("old", "1");
        bucket.put("both", "old");
        clock.advance(TTL.dividedBy(2));
        bucket.put("young", "1");
        bucket.put("both", "new");
        clock.advance(TTL.dividedBy(2).plusMillis(1));

        WatchRecorder latest = recorder();
        WatchRecorder all = recorder();
        watch(bucket, List.of(), WatchOptions.defaults(), latest);
        watch(bucket, List.of(), WatchOptions.defaults().withIncludeHistory(), all);
        latest.awaitCaughtUp();
        all.awaitCaughtUp();

        assertThat(show(latest.distinctEntries())).containsExactly("young=1", "both=new");
        assertThat(show(all.distinctEntries())).containsExactly("young=1", "both=new");
    }

    @Test
    void watchOfAnAllExpiredBucketIsCaughtUpWithNothing() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "v");
        clock.advance(PAST_TTL);

        WatchRecorder r = recorder();
        watch(bucket, List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();

        assertThat(r.entries()).isEmpty();
    }

    @Test
    void keyWhoseEntriesAllExpiredHasNoEntries() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "v");
        bucket.delete("k");
        clock.advance(PAST_TTL);

        // As in JetStream, expired entries are gone: revision 0 now means "no entries".
        long rev = bucket.update("k", bytes("fresh"), 0);

        assertThat(bucket.getExisting("k").revision()).isEqualTo(rev);
        assertThat(show(bucket.history("k"))).containsExactly("k=fresh");
    }

    @Test
    void createSucceedsOnceTheValueExpired() {
        Bucket bucket = ttlBucket();
        bucket.put("k", "v");
        clock.advance(PAST_TTL);

        bucket.create("k", bytes("again"));

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("again");
    }

    @Test
    void revisionsAreNotReusedAfterExpiry() {
        Bucket bucket = ttlBucket();
        long last = bucket.put("k", "v");
        clock.advance(PAST_TTL);

        assertThat(bucket.put("k", "v2")).isGreaterThan(last);
    }

    @Test
    void zeroTtlKeepsEntriesForever() {
        Bucket bucket = newBucket(b -> b.ttl(Duration.ZERO));
        bucket.put("k", "v");

        clock.advance(Duration.ofDays(3650));

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("v");
        assertThat(bucket.keys()).containsExactly("k");
    }
}
