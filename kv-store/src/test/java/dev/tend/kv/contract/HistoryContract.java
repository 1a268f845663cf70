package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A key's retained entries: order, markers, the history limit, purge, and deltas. */
public abstract class HistoryContract extends KvContractSupport {

    @Test
    void historyListsEntriesOldestFirst() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "1");
        long r2 = bucket.put("k", "2");
        long r3 = bucket.put("k", "3");

        List<Entry> history = bucket.history("k");

        assertThat(show(history)).containsExactly("k=1", "k=2", "k=3");
        assertThat(revisions(history)).containsExactly(r1, r2, r3);
        assertThat(history).allSatisfy(e -> {
            assertThat(e.bucket()).isEqualTo(bucket.name());
            assertThat(e.key()).isEqualTo("k");
        });
    }

    @Test
    void historyIncludesMarkers() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "1");
        bucket.delete("k");
        bucket.put("k", "2");

        assertThat(show(bucket.history("k"))).containsExactly("k=1", "k DEL", "k=2");
    }

    @Test
    void historyOfKeyWithoutEntriesIsEmpty() {
        Bucket bucket = newBucket();
        bucket.put("other", "v");

        assertThat(bucket.history("missing")).isEmpty();
    }

    @Test
    void historyHoldsOnlyThatKey() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "1");
        bucket.put("a.b", "2");
        bucket.put("ab", "3");
        bucket.put("a", "4");

        assertThat(show(bucket.history("a"))).containsExactly("a=1", "a=4");
    }

    @Test
    void historyIsTrimmedToTheLimitKeepingTheNewest() {
        Bucket bucket = newBucketWithHistory(3);
        for (int i = 1; i <= 6; i++) {
            bucket.put("k", Integer.toString(i));
        }

        assertThat(show(bucket.history("k"))).containsExactly("k=4", "k=5", "k=6");
    }

    @Test
    void markersCountTowardsTheHistoryLimit() {
        Bucket bucket = newBucketWithHistory(3);
        bucket.put("k", "1");
        bucket.put("k", "2");
        bucket.put("k", "3");

        bucket.delete("k");

        assertThat(show(bucket.history("k"))).containsExactly("k=2", "k=3", "k DEL");
    }

    @Test
    void historyLimitIsPerKey() {
        Bucket bucket = newBucketWithHistory(2);
        bucket.put("a", "1");
        bucket.put("b", "1");
        bucket.put("b", "2");
        bucket.put("b", "3");

        assertThat(show(bucket.history("a"))).containsExactly("a=1");
        assertThat(show(bucket.history("b"))).containsExactly("b=2", "b=3");
    }

    @Test
    void purgeDropsEveryEarlierEntryOfTheKey() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "1");
        bucket.put("k", "2");
        bucket.delete("k");
        bucket.put("other", "stays");

        long marker = bucket.purge("k");

        assertThat(show(bucket.history("k"))).containsExactly("k PURGE");
        assertThat(bucket.history("k").get(0).revision()).isEqualTo(marker);
        assertThat(show(bucket.history("other"))).containsExactly("other=stays");
    }

    @Test
    void writesAfterPurgeFollowTheMarker() {
        Bucket bucket = newBucketWithHistory(3);
        bucket.put("k", "1");
        bucket.purge("k");
        bucket.put("k", "2");
        bucket.put("k", "3");

        assertThat(show(bucket.history("k"))).containsExactly("k PURGE", "k=2", "k=3");
        bucket.put("k", "4");
        assertThat(show(bucket.history("k"))).containsExactly("k=2", "k=3", "k=4");
    }

    @Test
    void deltaCountsTheEntriesThatFollow() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "1");
        bucket.put("other", "x");
        bucket.put("k", "2");
        bucket.delete("k");

        assertThat(bucket.history("k")).extracting(Entry::delta).containsExactly(2L, 1L, 0L);
    }

    @Test
    void defaultHistoryIsOneAsInJetStream() {
        BucketConfig config = newConfig().build();
        Bucket bucket = store.create(config);
        bucket.put("k", "1");
        bucket.put("k", "2");

        assertThat(config.history()).isEqualTo(1);
        assertThat(show(bucket.history("k"))).containsExactly("k=2");
    }

    @Test
    void largestHistoryKeepsSixtyFourEntries() {
        Bucket bucket = newBucketWithHistory(BucketConfig.MAX_HISTORY);
        for (int i = 1; i <= 70; i++) {
            bucket.put("k", Integer.toString(i));
        }

        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(7, 70).forEach(i -> expected.add("k=" + i));
        assertThat(show(bucket.history("k"))).containsExactlyElementsOf(expected);
    }

    @Test
    void historyEntriesCarryTheirOwnValues() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", new byte[0]);
        long r2 = bucket.put("k", new byte[] {0, (byte) 255});

        List<Entry> history = bucket.history("k");

        assertThat(history.get(0).value()).isEmpty();
        assertThat(history.get(1).value()).containsExactly(0, 255);
        assertThat(bucket.get("k", r1).orElseThrow().value()).isEmpty();
        assertThat(bucket.get("k", r2).orElseThrow().value()).containsExactly(0, 255);
    }
}
