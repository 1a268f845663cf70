package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketFullException;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.InvalidConfigException;
import dev.tend.kv.StorageType;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.kv.ValueTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Value and bucket size limits, and the config ranges: history, replicas, TTL, storage, mirrors. */
public abstract class LimitsContract extends KvContractSupport {

    /**
     * A word the error for too many replicas must contain, e.g. "NATS" on the embedded store, which should point
     * the user to the backend that has replicas; null for no such check.
     */
    protected String replicasErrorHint() {
        return null;
    }

    // ---- max value size

    @Test
    void valueOverMaxValueSizeIsRefusedAndNothingIsWritten() {
        Bucket bucket = newBucket(b -> b.maxValueSize(16).history(5));
        long rev = bucket.put("k", new byte[16]);

        assertThatThrownBy(() -> bucket.put("k", new byte[17])).isInstanceOf(ValueTooLargeException.class);
        assertThatThrownBy(() -> bucket.create("new", new byte[17])).isInstanceOf(ValueTooLargeException.class);
        assertThatThrownBy(() -> bucket.update("k", new byte[17], rev)).isInstanceOf(ValueTooLargeException.class);
        assertThat(bucket.history("k")).hasSize(1);
        assertThat(bucket.get("new")).isEmpty();
        assertThat(bucket.status().lastRevision()).isEqualTo(rev);
    }

    @Test
    void valueOfExactlyMaxValueSizeIsAccepted() {
        Bucket bucket = newBucket(b -> b.maxValueSize(1024));

        bucket.put("k", new byte[1024]);

        assertThat(bucket.getExisting("k").value()).hasSize(1024);
    }

    @Test
    void lowerMaxValueSizeAppliesAfterUpdate() {
        BucketConfig config = newConfig().build();
        Bucket bucket = store.create(config);
        bucket.put("k", new byte[100]);

        store.update(config.toBuilder().maxValueSize(50).build());

        assertThatThrownBy(() -> bucket.put("k", new byte[51])).isInstanceOf(ValueTooLargeException.class);
        assertThat(bucket.getExisting("k").value()).hasSize(100);
    }

    // ---- max bucket size

    /** Puts 100-byte values under new keys until the bucket refuses one; returns the keys that fit. */
    private List<String> fill(Bucket bucket) {
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = "k" + i;
            BucketStatus before = bucket.status();
            try {
                bucket.put(key, new byte[100]);
                stored.add(key);
            } catch (BucketFullException e) {
                BucketStatus after = bucket.status();
                assertThat(after.values()).isEqualTo(before.values());
                assertThat(after.bytes()).isEqualTo(before.bytes());
                assertThat(after.lastRevision()).isEqualTo(before.lastRevision());
                assertThat(bucket.get(key)).isEmpty();
                return stored;
            }
        }
        throw new AssertionError("a 4 KiB bucket took 200 values of 100 bytes");
    }

    @Test
    void writeThatDoesNotFitIsRefusedAndLeavesTheBucketUnchanged() {
        Bucket bucket = newBucket(b -> b.maxBucketSize(4096));

        List<String> stored = fill(bucket);

        assertThat(stored).isNotEmpty();
        if (guarantees().strictBucketSize()) {
            assertThat(bucket.keys()).containsExactlyInAnyOrderElementsOf(stored);
        } else {
            // Weak form: writes near the limit may have made room by dropping the oldest entries.
            assertThat(bucket.keys()).isNotEmpty().isSubsetOf(stored).contains(stored.get(stored.size() - 1));
        }
        assertThat(bucket.status().bytes()).isLessThanOrEqualTo(4096);
        assertThatThrownBy(() -> bucket.create("another", new byte[100])).isInstanceOf(BucketFullException.class);
    }

    @Test
    void valueLargerThanTheWholeBucketIsRefused() {
        Bucket bucket = newBucket(b -> b.maxBucketSize(1000));

        assertThatThrownBy(() -> bucket.put("k", new byte[2000])).isInstanceOf(BucketFullException.class);
        assertThat(bucket.status().values()).isZero();
    }

    @Test
    void purgeAllMakesRoomInAFullBucket() {
        Bucket bucket = newBucket(b -> b.maxBucketSize(4096));
        fill(bucket);

        bucket.purgeAll();

        bucket.put("k", new byte[100]);
        assertThat(bucket.keys()).containsExactly("k");
    }

    @Test
    void replacingAKeysOnlyEntryWithASmallerOneFitsInAFullBucket() {
        // JetStream (discard new) accepts a write that replaces the oldest entry of a key at its history
        // limit when that entry is bigger: the bucket does not grow.
        Bucket bucket = newBucket(b -> b.maxBucketSize(4096).history(1));
        List<String> stored = fill(bucket);

        long rev = bucket.put(stored.get(0), new byte[50]);

        assertThat(bucket.getExisting(stored.get(0)).revision()).isEqualTo(rev);
        if (guarantees().strictBucketSize()) {
            assertThat(bucket.keys()).hasSameSizeAs(stored);
        } else {
            // Weak form: the bucket stays within its size, possibly by dropping its oldest entries.
            assertThat(bucket.keys()).isSubsetOf(stored).contains(stored.get(0));
            assertThat(bucket.status().bytes()).isLessThanOrEqualTo(4096);
        }
    }

    // ---- config ranges

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 65, 100})
    void historyOutsideOneToSixtyFourIsInvalid(int history) {
        assertThatThrownBy(() -> store.create(newConfig().history(history).build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("history");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64})
    void historyAtTheBoundsIsValid(int history) {
        Bucket bucket = newBucketWithHistory(history);

        assertThat(bucket.status().config().history()).isEqualTo(history);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 6})
    void replicasOutsideOneToFiveAreInvalid(int replicas) {
        assertThatThrownBy(() -> store.create(newConfig().replicas(replicas).build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("replicas");
    }

    @Test
    void replicasAboveTheBackendsMaximumAreUnsupported() {
        int max = guarantees().maxReplicas();
        assumeTrue(max < BucketConfig.MAX_REPLICAS, "the backend takes every replica count");
        BucketConfig config = newConfig().replicas(max + 1).build();

        assertThatThrownBy(() -> store.create(config))
                .isInstanceOf(UnsupportedFeatureException.class)
                .satisfies(e -> {
                    if (replicasErrorHint() != null) {
                        assertThat(e.getMessage()).containsIgnoringCase(replicasErrorHint());
                    }
                });
        assertThat(store.exists(config.name())).isFalse();
    }

    @Test
    void updateToTooManyReplicasIsUnsupportedAndKeepsTheConfig() {
        int max = guarantees().maxReplicas();
        assumeTrue(max < BucketConfig.MAX_REPLICAS, "the backend takes every replica count");
        BucketConfig config = newConfig().build();
        store.create(config);

        assertThatThrownBy(() -> store.update(config.toBuilder().replicas(max + 1).build()))
                .isInstanceOf(UnsupportedFeatureException.class);
        assertThat(store.bucket(config.name()).status().config()).isEqualTo(config);
    }

    @Test
    void replicasUpToTheBackendsMaximumAreAccepted() {
        int max = guarantees().maxReplicas();

        Bucket bucket = newBucket(b -> b.replicas(max));

        assertThat(bucket.status().config().replicas()).isEqualTo(max);
    }

    @Test
    void memoryStorageIsUnsupportedUnlessPromised() {
        assumeFalse(guarantees().memoryStorage(), "the backend has memory storage");
        BucketConfig config = newConfig().storage(StorageType.MEMORY).build();

        assertThatThrownBy(() -> store.create(config)).isInstanceOf(UnsupportedFeatureException.class);
        assertThat(store.exists(config.name())).isFalse();
    }

    @Test
    void memoryStorageWorksWhenPromised() {
        assumeTrue(guarantees().memoryStorage(), "the backend has no memory storage");
        Bucket bucket = newBucket(b -> b.storage(StorageType.MEMORY));

        bucket.put("k", "v");

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("v");
        assertThat(bucket.status().config().storage()).isEqualTo(StorageType.MEMORY);
    }

    @Test
    void mirrorsAreUnsupportedUnlessPromised() {
        assumeFalse(guarantees().mirrors(), "the backend has mirrors");
        Bucket origin = newBucket();
        BucketConfig config = newConfig().mirror(origin.name()).build();

        assertThatThrownBy(() -> store.create(config)).isInstanceOf(UnsupportedFeatureException.class);
        assertThat(store.exists(config.name())).isFalse();
    }

    @Test
    void ttlMustBeZeroOrAtLeastOneHundredMilliseconds() {
        assertThatThrownBy(() -> newConfig().ttl(Duration.ofMillis(99)).build())
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> newConfig().ttl(Duration.ofSeconds(-1)).build())
                .isInstanceOf(InvalidConfigException.class);

        Bucket bucket = newBucket(b -> b.ttl(BucketConfig.MIN_TTL));

        assertThat(bucket.status().config().ttl()).isEqualTo(BucketConfig.MIN_TTL);
    }

    @Test
    void sizeLimitsAreUnlimitedWhenZeroAndInvalidWhenNegative() {
        BucketConfig config = newConfig().maxValueSize(0).maxBucketSize(0).build();

        assertThat(config.maxValueSize()).isEqualTo(BucketConfig.UNLIMITED);
        assertThat(config.maxBucketSize()).isEqualTo(BucketConfig.UNLIMITED);
        assertThatThrownBy(() -> newConfig().maxValueSize(-5).build()).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> newConfig().maxBucketSize(-5).build()).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void descriptionIsLimitedToFourKibibytes() {
        assertThatThrownBy(() -> newConfig().description("x".repeat(BucketConfig.MAX_DESCRIPTION_BYTES + 1)).build())
                .isInstanceOf(InvalidConfigException.class);

        Bucket bucket = newBucket(b -> b.description("x".repeat(BucketConfig.MAX_DESCRIPTION_BYTES)));

        assertThat(bucket.status().config().description()).hasSize(BucketConfig.MAX_DESCRIPTION_BYTES);
    }
}
