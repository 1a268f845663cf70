package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.ConflictException;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.WrongRevisionException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Create-if-absent and the compare-and-set forms of update, delete and purge. */
public abstract class CreateUpdateContract extends KvContractSupport {

    // ---- create

    @Test
    void createStoresValueOfKeyWithoutEntries() {
        Bucket bucket = newBucket();

        long rev = bucket.create("k", bytes("v"));

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("v");
        assertThat(bucket.getExisting("k").revision()).isEqualTo(rev);
    }

    @Test
    void createOnLiveKeyFailsWithKeyExistsAndChangesNothing() {
        Bucket bucket = newBucketWithHistory(5);
        long rev = bucket.put("k", "v");

        assertThatThrownBy(() -> bucket.create("k", bytes("other")))
                .isInstanceOfSatisfying(KeyExistsException.class, e -> assertThat(e.actual()).isEqualTo(rev));
        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("v");
        assertThat(bucket.status().lastRevision()).isEqualTo(rev);
        assertThat(bucket.history("k")).hasSize(1);
    }

    @Test
    void createAfterDeleteSucceeds() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "old");
        long marker = bucket.delete("k");

        long rev = bucket.create("k", bytes("new"));

        assertThat(rev).isGreaterThan(marker);
        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("new");
        assertThat(show(bucket.history("k"))).containsExactly("k=old", "k DEL", "k=new");
    }

    @Test
    void createAfterPurgeSucceeds() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "old");
        bucket.purge("k");

        bucket.create("k", bytes("new"));

        assertThat(show(bucket.history("k"))).containsExactly("k PURGE", "k=new");
    }

    @Test
    void concurrentCreatesOfAnAbsentKeyHaveExactlyOneWinner() throws Exception {
        assumeTrue(guarantees().atomicCreate(), "the backend's create is not atomic");
        Bucket bucket = newBucket();

        List<Object> outcomes = race(8, i -> bucket.create("k", bytes("writer " + i)));

        assertOneWinner(bucket, outcomes);
    }

    @Test
    void concurrentCreatesOfADeletedKeyHaveExactlyOneWinner() throws Exception {
        assumeTrue(guarantees().atomicCreate(), "the backend's create is not atomic");
        Bucket bucket = newBucketWithHistory(10);
        bucket.put("k", "old");
        bucket.delete("k");

        List<Object> outcomes = race(8, i -> bucket.create("k", bytes("writer " + i)));

        assertOneWinner(bucket, outcomes);
    }

    private static void assertOneWinner(Bucket bucket, List<Object> outcomes) {
        List<Object> wins = outcomes.stream().filter(o -> o instanceof Long).toList();
        assertThat(wins).as("outcomes %s", outcomes).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !(o instanceof Long)))
                .allSatisfy(o -> assertThat(o).isInstanceOf(KeyExistsException.class));
        assertThat(bucket.getExisting("k").revision()).isEqualTo(wins.get(0));
    }

    // ---- update

    @Test
    void updateOnLatestRevisionSucceeds() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "1");

        long r2 = bucket.update("k", bytes("2"), r1);

        assertThat(r2).isGreaterThan(r1);
        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("2");
        assertThat(bucket.getExisting("k").revision()).isEqualTo(r2);
    }

    @Test
    void updateOnStaleRevisionFailsWithExpectedAndActualAndChangesNothing() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "1");
        long r2 = bucket.put("k", "2");

        assertThatThrownBy(() -> bucket.update("k", bytes("3"), r1))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> {
                    assertThat(e.expected()).isEqualTo(r1);
                    assertThat(e.actual()).isEqualTo(r2);
                })
                .isInstanceOf(ConflictException.class);
        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("2");
        assertThat(bucket.status().lastRevision()).isEqualTo(r2);
    }

    @Test
    void updateOnARevisionNotYetGivenOutFails() {
        Bucket bucket = newBucket();
        long r1 = bucket.put("k", "1");

        assertThatThrownBy(() -> bucket.update("k", bytes("2"), r1 + 1))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> assertThat(e.actual()).isEqualTo(r1));
    }

    @Test
    void updateComparesTheKeysLatestRevisionNotTheBuckets() {
        Bucket bucket = newBucket();
        long a1 = bucket.put("a", "1");
        bucket.put("b", "1");

        long a2 = bucket.update("a", bytes("2"), a1);

        assertThat(bucket.getExisting("a").revision()).isEqualTo(a2);
    }

    @Test
    void updateOnDeleteMarkerRevisionSucceeds() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "1");
        long marker = bucket.delete("k");

        bucket.update("k", bytes("2"), marker);

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("2");
    }

    @Test
    void updateOnPurgeMarkerRevisionSucceeds() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "1");
        long marker = bucket.purge("k");

        bucket.update("k", bytes("2"), marker);

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("2");
    }

    @Test
    void updateOnMarkerNeedsTheMarkersRevisionNotTheLastValues() {
        Bucket bucket = newBucketWithHistory(5);
        long value = bucket.put("k", "1");
        long marker = bucket.delete("k");

        assertThatThrownBy(() -> bucket.update("k", bytes("2"), value))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> assertThat(e.actual()).isEqualTo(marker));
    }

    @Test
    void updateWithZeroMeansTheKeyHasNoEntries() {
        Bucket bucket = newBucket();

        long rev = bucket.update("k", bytes("1"), 0);

        assertThat(bucket.getExisting("k").revision()).isEqualTo(rev);
        assertThatThrownBy(() -> bucket.update("k", bytes("2"), 0))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> {
                    assertThat(e.expected()).isZero();
                    assertThat(e.actual()).isEqualTo(rev);
                });
    }

    @Test
    void updateWithZeroFailsOnDeletedKeyBecauseItsMarkerIsAnEntry() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "1");
        long marker = bucket.delete("k");

        assertThatThrownBy(() -> bucket.update("k", bytes("2"), 0))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> assertThat(e.actual()).isEqualTo(marker));
    }

    @Test
    void wrongRevisionForKeyWithoutEntriesReportsZero() {
        Bucket bucket = newBucket();
        long other = bucket.put("other", "x");

        assertThatThrownBy(() -> bucket.update("k", bytes("1"), other))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> {
                    assertThat(e.expected()).isEqualTo(other);
                    assertThat(e.actual()).isZero();
                });
        assertThat(bucket.history("k")).isEmpty();
    }

    @Test
    void concurrentUpdatesOnOneRevisionHaveExactlyOneWinner() throws Exception {
        Bucket bucket = newBucketWithHistory(20);
        long base = bucket.put("k", "base");

        List<Object> outcomes = race(8, i -> bucket.update("k", bytes("writer " + i), base));

        List<Object> wins = outcomes.stream().filter(o -> o instanceof Long).toList();
        assertThat(wins).as("outcomes %s", outcomes).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !(o instanceof Long)))
                .allSatisfy(o -> assertThat(o).isInstanceOf(WrongRevisionException.class));
        assertThat(bucket.history("k")).hasSize(2);
    }

    // ---- CAS delete and purge

    @Test
    void deleteOnLatestRevisionWritesMarker() {
        Bucket bucket = newBucketWithHistory(5);
        long rev = bucket.put("k", "1");

        long marker = bucket.delete("k", rev);

        assertThat(bucket.get("k")).isEmpty();
        assertThat(show(bucket.history("k"))).containsExactly("k=1", "k DEL");
        assertThat(bucket.history("k").get(1).revision()).isEqualTo(marker);
    }

    @Test
    void deleteOnWrongRevisionFailsAndWritesNothing() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "1");
        long r2 = bucket.put("k", "2");

        assertThatThrownBy(() -> bucket.delete("k", r1))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> {
                    assertThat(e.expected()).isEqualTo(r1);
                    assertThat(e.actual()).isEqualTo(r2);
                });
        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("2");
        assertThat(bucket.history("k")).hasSize(2);
        assertThat(bucket.status().lastRevision()).isEqualTo(r2);
    }

    @Test
    void purgeOnLatestRevisionPurges() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "1");
        long rev = bucket.put("k", "2");

        bucket.purge("k", rev);

        assertThat(show(bucket.history("k"))).containsExactly("k PURGE");
    }

    @Test
    void purgeOnWrongRevisionFailsAndKeepsHistory() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "1");
        long r2 = bucket.put("k", "2");

        assertThatThrownBy(() -> bucket.purge("k", r1))
                .isInstanceOfSatisfying(WrongRevisionException.class, e -> assertThat(e.actual()).isEqualTo(r2));
        assertThat(show(bucket.history("k"))).containsExactly("k=1", "k=2");
    }

    /** Runs {@code n} calls at once (released together) and returns each one's revision or exception. */
    private static List<Object> race(int n, IntCall call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                Callable<Object> task = () -> {
                    start.await();
                    try {
                        return call.apply(id);
                    } catch (RuntimeException e) {
                        return e;
                    }
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : futures) {
                out.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface IntCall {
        long apply(int i);
    }
}
