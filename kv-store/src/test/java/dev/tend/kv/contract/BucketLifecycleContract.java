package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketExistsException;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.UnknownBucketException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Creating, updating, listing, purging and removing buckets. */
public abstract class BucketLifecycleContract extends KvContractSupport {

    @Test
    void createdBucketExistsAndIsUsable() {
        BucketConfig config = newConfig().history(5).description("config of my service").build();

        Bucket bucket = store.create(config);

        assertThat(bucket.name()).isEqualTo(config.name());
        assertThat(store.exists(config.name())).isTrue();
        assertThat(store.bucketNames()).contains(config.name());
        assertThat(store.bucket(config.name()).status().config()).isEqualTo(config);
        bucket.put("username", "myservice");
        assertThat(store.bucket(config.name()).getExisting("username").valueAsString()).isEqualTo("myservice");
    }

    @Test
    void creatingExistingBucketWithEqualConfigIsNoOpThatKeepsData() {
        BucketConfig config = newConfig().history(5).ttl(Duration.ofHours(1)).maxValueSize(1024).build();
        Bucket first = store.create(config);
        long rev = first.put("k", "v");

        Bucket again = store.create(config);

        assertThat(again.name()).isEqualTo(config.name());
        assertThat(again.getExisting("k").revision()).isEqualTo(rev);
        assertThat(again.status().lastRevision()).isEqualTo(rev);
    }

    @Test
    void creatingExistingBucketWithDifferentConfigFailsAndKeepsOldConfig() {
        BucketConfig config = newConfig().history(5).build();
        store.create(config);

        assertThatThrownBy(() -> store.create(config.toBuilder().history(6).build()))
                .isInstanceOf(BucketExistsException.class);
        assertThatThrownBy(() -> store.create(config.toBuilder().description("other").build()))
                .isInstanceOf(BucketExistsException.class);
        assertThat(store.bucket(config.name()).status().config()).isEqualTo(config);
    }

    @Test
    void updateChangesConfigAndKeepsData() {
        BucketConfig config = newConfig().history(2).build();
        Bucket bucket = store.create(config);
        long rev = bucket.put("k", "v");
        BucketConfig changed = config.toBuilder().history(10).description("more history").maxValueSize(4096).build();

        store.update(changed);

        assertThat(store.bucket(config.name()).status().config()).isEqualTo(changed);
        assertThat(store.bucket(config.name()).getExisting("k").revision()).isEqualTo(rev);
        // The updated config is now the one an idempotent create must match.
        assertThat(store.create(changed).name()).isEqualTo(config.name());
        assertThatThrownBy(() -> store.create(config)).isInstanceOf(BucketExistsException.class);
    }

    @Test
    void updateLoweringHistoryTrimsExistingKeys() {
        BucketConfig config = newConfig().history(5).build();
        Bucket bucket = store.create(config);
        for (int i = 1; i <= 5; i++) {
            bucket.put("k", "v" + i);
        }

        store.update(config.toBuilder().history(2).build());

        assertThat(show(store.bucket(config.name()).history("k"))).containsExactly("k=v4", "k=v5");
    }

    @Test
    void updateOfUnknownBucketFails() {
        BucketConfig config = newConfig().build();

        assertThatThrownBy(() -> store.update(config)).isInstanceOf(UnknownBucketException.class);
        assertThat(store.exists(config.name())).isFalse();
    }

    @Test
    void unknownBucketIsReportedByName() {
        String name = newBucketName();

        assertThat(store.exists(name)).isFalse();
        assertThatThrownBy(() -> store.bucket(name))
                .isInstanceOfSatisfying(UnknownBucketException.class, e -> assertThat(e.bucket()).isEqualTo(name));
    }

    @Test
    void deleteRemovesBucketAndEverythingInIt() {
        Bucket bucket = newBucket();
        bucket.put("k", "v");

        store.delete(bucket.name());

        assertThat(store.exists(bucket.name())).isFalse();
        assertThat(store.bucketNames()).doesNotContain(bucket.name());
        assertThatThrownBy(() -> store.bucket(bucket.name())).isInstanceOf(UnknownBucketException.class);
    }

    @Test
    void deleteOfUnknownBucketFails() {
        String name = newBucketName();

        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(UnknownBucketException.class);
    }

    @Test
    void handleOfDeletedBucketReportsUnknownBucket() {
        Bucket bucket = newBucket();
        bucket.put("k", "v");
        store.delete(bucket.name());

        assertThatThrownBy(() -> bucket.put("k", "v2")).isInstanceOf(UnknownBucketException.class);
        assertThatThrownBy(() -> bucket.get("k")).isInstanceOf(UnknownBucketException.class);
    }

    @Test
    void recreatedBucketStartsEmptyWithRevisionOne() {
        BucketConfig config = newConfig().history(3).build();
        Bucket old = store.create(config);
        old.put("a", "1");
        old.put("b", "2");
        store.delete(config.name());

        Bucket fresh = store.create(config);

        assertThat(fresh.keys()).isEmpty();
        assertThat(fresh.history("a")).isEmpty();
        assertThat(fresh.status().values()).isZero();
        assertThat(fresh.put("c", "3")).isEqualTo(1);
    }

    @Test
    void bucketNamesAreSorted() {
        String prefix = newBucketName();
        for (String suffix : List.of("c", "A", "b", "_", "a", "B-2")) {
            store.create(BucketConfig.builder(track(prefix + suffix)).build());
        }

        List<String> names = store.bucketNames();

        assertThat(names).isSorted();
        assertThat(names.stream().filter(n -> n.startsWith(prefix)).toList())
                .containsExactly(prefix + "A", prefix + "B-2", prefix + "_", prefix + "a", prefix + "b", prefix + "c");
    }

    @Test
    void listGivesEveryBucketsStatusSortedByName() {
        String prefix = newBucketName();
        BucketConfig b = BucketConfig.builder(track(prefix + "b")).history(3).build();
        BucketConfig a = BucketConfig.builder(track(prefix + "a")).description("first").build();
        store.create(b).put("k", "v");
        store.create(a);

        List<BucketStatus> mine = store.list().stream().filter(s -> s.name().startsWith(prefix)).toList();

        assertThat(store.list()).extracting(BucketStatus::name).isSorted();
        assertThat(mine).extracting(BucketStatus::config).containsExactly(a, b);
        assertThat(mine).extracting(BucketStatus::values).containsExactly(0L, 1L);
    }

    @Test
    void statusCountsEveryRetainedEntryIncludingHistoryAndMarkers() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "1");
        bucket.put("a", "2");
        bucket.delete("a");
        long last = bucket.put("b", "3");

        BucketStatus status = bucket.status();

        assertThat(status.name()).isEqualTo(bucket.name());
        assertThat(status.values()).isEqualTo(4);
        assertThat(status.bytes()).isPositive();
        assertThat(status.lastRevision()).isEqualTo(last);
        assertThat(status.backend()).isEqualTo(store.backend());
    }

    @Test
    void emptyBucketStatusShowsNothingWritten() {
        BucketStatus status = newBucket().status();

        assertThat(status.values()).isZero();
        assertThat(status.lastRevision()).isZero();
    }

    @Test
    void purgeAllDropsEveryEntryButKeepsBucketAndConfig() {
        BucketConfig config = newConfig().history(5).description("kept").build();
        Bucket bucket = store.create(config);
        bucket.put("a", "1");
        bucket.put("a", "2");
        bucket.put("b", "3");
        bucket.delete("b");

        bucket.purgeAll();

        assertThat(store.exists(config.name())).isTrue();
        assertThat(bucket.status().config()).isEqualTo(config);
        assertThat(bucket.status().values()).isZero();
        assertThat(bucket.keys()).isEmpty();
        assertThat(bucket.get("a")).isEmpty();
        assertThat(bucket.history("a")).isEmpty();
        assertThat(bucket.history("b")).isEmpty();
    }

    @Test
    void purgeAllKeepsTheRevisionSequence() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");
        long last = bucket.put("b", "2");

        bucket.purgeAll();

        assertThat(bucket.status().lastRevision()).isEqualTo(last);
        assertThat(bucket.put("a", "3")).isGreaterThan(last);
    }

    @Test
    void bucketsAreIndependent() {
        Bucket one = newBucket();
        Bucket two = newBucket();
        one.put("k", "in one");

        assertThat(two.get("k")).isEmpty();
        assertThat(two.keys()).isEmpty();
        store.delete(one.name());
        assertThat(store.exists(two.name())).isTrue();
    }

    @Test
    void storeDescribesItself() {
        assertThat(store.backend()).isNotBlank();
        assertThat(store.url()).isNotBlank();
        assertThat(guarantees()).isNotNull();
        assertThat(guarantees().maxReplicas()).isBetween(1, BucketConfig.MAX_REPLICAS);
    }

    @Test
    void closedStoreRefusesWork() {
        Bucket bucket = newBucket();
        bucket.put("k", "v");

        store.close();

        assertThatThrownBy(() -> store.bucketNames()).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.create(newConfig().build())).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> bucket.put("k", "v2")).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> bucket.get("k")).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void anotherHandleOfTheBucketReadsItsWrites() {
        assumeTrue(guarantees().readYourWrites(), "the backend does not promise read-your-writes");
        Bucket bucket = newBucket();
        Bucket other = store.bucket(bucket.name());

        long rev = bucket.put("k", "v");

        assertThat(other.getExisting("k").revision()).isEqualTo(rev);
        other.delete("k");
        assertThat(bucket.get("k")).isEmpty();
    }

    @Test
    void anotherStoreOnTheSameBackendSeesTheBuckets() {
        Bucket bucket = newBucket();
        long rev = bucket.put("k", "v");

        KvStore second = open();

        assertThat(second.exists(bucket.name())).isTrue();
        assertThat(second.bucket(bucket.name()).getExisting("k").revision()).isEqualTo(rev);
    }
}
