package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bucket.purgeDeletes (JetStream's PurgeDeletes, {@code tend kv compact}): markers older than the threshold go
 * with everything they hide; newer markers stay but lose the entries before them; live keys are untouched.
 */
public abstract class PurgeDeletesContract extends KvContractSupport {

    private static final Duration THIRTY_MINUTES = Duration.ofMinutes(30);

    private Bucket bucketWithDeletedAndLiveKeys() {
        Bucket bucket = newBucketWithHistory(10);
        bucket.put("deleted", "1");
        bucket.put("deleted", "2");
        bucket.delete("deleted");
        bucket.put("purged", "1");
        bucket.purge("purged");
        bucket.put("live", "1");
        bucket.put("live", "2");
        return bucket;
    }

    @Test
    void negativeThresholdRemovesEveryMarkerAndWhatItHides() {
        Bucket bucket = bucketWithDeletedAndLiveKeys();

        long affected = bucket.purgeDeletes(Duration.ofSeconds(-1));

        assertThat(affected).isEqualTo(2);
        assertThat(bucket.history("deleted")).isEmpty();
        assertThat(bucket.history("purged")).isEmpty();
        assertThat(show(bucket.history("live"))).containsExactly("live=1", "live=2");
        assertThat(bucket.status().values()).isEqualTo(2);
    }

    @Test
    void markersOlderThanTheThresholdAreRemovedWithTheirHistory() {
        assumeControlsTime();
        Bucket bucket = bucketWithDeletedAndLiveKeys();
        clock.advance(THIRTY_MINUTES.plusMinutes(1));

        long affected = bucket.purgeDeletes(THIRTY_MINUTES);

        assertThat(affected).isEqualTo(2);
        assertThat(bucket.history("deleted")).isEmpty();
        assertThat(bucket.history("purged")).isEmpty();
        assertThat(show(bucket.history("live"))).containsExactly("live=1", "live=2");
    }

    @Test
    void recentMarkersStayButLoseTheEntriesBeforeThem() {
        Bucket bucket = bucketWithDeletedAndLiveKeys();

        long affected = bucket.purgeDeletes(Duration.ofHours(1));

        assertThat(affected).isEqualTo(1);
        assertThat(show(bucket.history("deleted"))).containsExactly("deleted DEL");
        assertThat(show(bucket.history("purged"))).containsExactly("purged PURGE");
        assertThat(show(bucket.history("live"))).containsExactly("live=1", "live=2");
    }

    @Test
    void onlyMarkersOlderThanTheThresholdGo() {
        assumeControlsTime();
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("old", "1");
        bucket.delete("old");
        clock.advance(Duration.ofMinutes(40));
        bucket.put("recent", "1");
        bucket.delete("recent");
        clock.advance(Duration.ofMinutes(5));

        bucket.purgeDeletes(THIRTY_MINUTES);

        assertThat(bucket.history("old")).isEmpty();
        assertThat(show(bucket.history("recent"))).containsExactly("recent DEL");
    }

    @Test
    void keysStayUnknownAfterPurgeDeletes() {
        Bucket bucket = bucketWithDeletedAndLiveKeys();

        bucket.purgeDeletes(Duration.ofSeconds(-1));

        assertThat(bucket.get("deleted")).isEmpty();
        assertThat(bucket.keys()).containsExactly("live");
    }

    @Test
    void keyLeftWithoutEntriesCountsAsNeverWritten() {
        Bucket bucket = bucketWithDeletedAndLiveKeys();
        long last = bucket.status().lastRevision();

        bucket.purgeDeletes(Duration.ofSeconds(-1));
        long rev = bucket.update("deleted", bytes("fresh"), 0);

        assertThat(rev).isGreaterThan(last);
        assertThat(show(bucket.history("deleted"))).containsExactly("deleted=fresh");
    }

    @Test
    void bucketWithoutMarkersIsLeftAlone() {
        Bucket bucket = newBucketWithHistory(3);
        bucket.put("a", "1");
        bucket.put("a", "2");

        assertThat(bucket.purgeDeletes(Duration.ofSeconds(-1))).isZero();
        assertThat(show(bucket.history("a"))).containsExactly("a=1", "a=2");
    }
}
