package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.Operation;
import dev.tend.kv.UnknownKeyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Revisions, put, get (latest and at a revision), delete and purge as seen by get, and values. */
public abstract class WriteReadContract extends KvContractSupport {

    // ---- revisions

    @Test
    void firstWriteOfBucketHasRevisionOne() {
        assertThat(newBucket().put("k", "v")).isEqualTo(1);
    }

    @Test
    void everyKindOfWriteTakesAStrictlyHigherRevision() {
        Bucket bucket = newBucketWithHistory(10);
        List<Long> revs = new ArrayList<>();

        revs.add(bucket.put("a", "1"));
        revs.add(bucket.delete("a"));
        revs.add(bucket.put("b", "2"));
        revs.add(bucket.purge("b"));
        revs.add(bucket.create("a", bytes("3")));
        revs.add(bucket.update("a", bytes("4"), revs.get(revs.size() - 1)));
        revs.add(bucket.delete("a", revs.get(revs.size() - 1)));
        revs.add(bucket.purge("a", revs.get(revs.size() - 1)));

        assertThat(revs.get(0)).isEqualTo(1);
        assertStrictlyIncreasing(revs);
        assertThat(bucket.status().lastRevision()).isEqualTo(revs.get(revs.size() - 1));
    }

    @Test
    void revisionSequenceIsSharedByAllKeysOfABucket() {
        Bucket bucket = newBucketWithHistory(5);

        long a1 = bucket.put("a", "1");
        long b1 = bucket.put("b", "1");
        long a2 = bucket.put("a", "2");

        assertThat(b1).isGreaterThan(a1);
        assertThat(a2).isGreaterThan(b1);
        assertThat(revisions(bucket.history("a"))).containsExactly(a1, a2);
    }

    @Test
    void eachBucketHasItsOwnRevisionSequence() {
        Bucket one = newBucket();
        Bucket two = newBucket();
        one.put("k", "1");
        one.put("k", "2");

        assertThat(two.put("k", "1")).isEqualTo(1);
    }

    @Test
    void revisionsAreNeverReusedAfterPurgeAll() {
        Bucket bucket = newBucket();
        long last = bucket.put("a", "1");
        bucket.purgeAll();

        assertThat(bucket.put("a", "2")).isGreaterThan(last);
    }

    @Test
    void revisionsAreNeverReusedAfterPurgeOrTrimming() {
        Bucket bucket = newBucketWithHistory(1);
        bucket.put("a", "1");
        bucket.put("a", "2");
        long purged = bucket.purge("a");

        long next = bucket.put("a", "3");

        assertThat(next).isGreaterThan(purged);
    }

    @Test
    void concurrentReadersNeverDisturbWriters() throws Exception {
        Bucket bucket = newBucket();
        int writers = 2;
        int perWriter = 300;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                readers.add(pool.submit(() -> {
                    while (writing.get()) {
                        bucket.get("w0.k0");
                        bucket.get("missing");
                    }
                    return null;
                }));
            }
            List<Future<Map<String, Long>>> writes = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int id = t;
                writes.add(pool.submit(() -> {
                    Map<String, Long> out = new HashMap<>();
                    for (int i = 0; i < perWriter; i++) {
                        out.put("w" + id + ".k" + i, bucket.put("w" + id + ".k" + i, "v" + i));
                    }
                    return out;
                }));
            }
            Map<String, Long> acknowledged = new HashMap<>();
            try {
                for (Future<Map<String, Long>> f : writes) {
                    acknowledged.putAll(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                }
            } finally {
                writing.set(false);
            }
            for (Future<?> f : readers) {
                f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }

            assertThat(new HashSet<>(acknowledged.values())).hasSize(writers * perWriter);
            acknowledged.forEach((key, rev) ->
                    assertThat(bucket.get(key)).as(key).map(Entry::revision).contains(rev));
            assertThat(bucket.keys()).hasSize(writers * perWriter);
            assertThat(bucket.status().lastRevision()).isEqualTo(Collections.max(acknowledged.values()));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- get

    @Test
    void getReturnsLatestEntryWithItsMetadata() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("username", "first");
        long rev = bucket.put("username", "myservice");

        Entry e = bucket.getExisting("username");

        assertThat(e.bucket()).isEqualTo(bucket.name());
        assertThat(e.key()).isEqualTo("username");
        assertThat(e.valueAsString()).isEqualTo("myservice");
        assertThat(e.revision()).isEqualTo(rev);
        assertThat(e.operation()).isEqualTo(Operation.PUT);
        assertThat(e.delta()).isZero();
        assertThat(e.created()).isNotNull();
        assertThat(bucket.get("username")).contains(e);
    }

    @Test
    void createdIsTheStoreClockTime() {
        assumeControlsTime();
        Bucket bucket = newBucketWithHistory(5);
        Instant first = clock.instant();
        bucket.put("k", "1");
        Instant second = clock.advance(Duration.ofMinutes(3).plusNanos(7));
        bucket.put("k", "2");

        assertThat(bucket.history("k")).extracting(Entry::created).containsExactly(first, second);
        assertThat(bucket.getExisting("k").created()).isEqualTo(second);
    }

    @Test
    void getOfKeyWithoutEntriesIsEmpty() {
        Bucket bucket = newBucket();
        bucket.put("other", "v");

        assertThat(bucket.get("missing")).isEmpty();
        assertThatThrownBy(() -> bucket.getExisting("missing"))
                .isInstanceOfSatisfying(UnknownKeyException.class, e -> {
                    assertThat(e.key()).isEqualTo("missing");
                    assertThat(e.bucket()).isEqualTo(bucket.name());
                });
    }

    @Test
    void deletedKeyReadsAsUnknownButKeepsHistory() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "v");

        long marker = bucket.delete("k");

        assertThat(bucket.get("k")).isEmpty();
        assertThatThrownBy(() -> bucket.getExisting("k")).isInstanceOf(UnknownKeyException.class);
        assertThat(show(bucket.history("k"))).containsExactly("k=v", "k DEL");
        assertThat(bucket.history("k").get(1).revision()).isEqualTo(marker);
    }

    @Test
    void purgedKeyReadsAsUnknown() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "v");

        bucket.purge("k");

        assertThat(bucket.get("k")).isEmpty();
        assertThatThrownBy(() -> bucket.getExisting("k")).isInstanceOf(UnknownKeyException.class);
    }

    @Test
    void putAfterDeleteMakesTheKeyReadableAgain() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("k", "old");
        bucket.delete("k");

        long rev = bucket.put("k", "new");

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("new");
        assertThat(bucket.getExisting("k").revision()).isEqualTo(rev);
    }

    @Test
    void deleteOfKeyWithoutEntriesStillWritesAMarker() {
        Bucket bucket = newBucketWithHistory(5);

        long marker = bucket.delete("never-written");

        assertThat(marker).isEqualTo(1);
        assertThat(show(bucket.history("never-written"))).containsExactly("never-written DEL");
        assertThat(bucket.get("never-written")).isEmpty();
    }

    // ---- get at a revision

    @Test
    void getAtRevisionReturnsThatEntryOfTheKey() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "one");
        bucket.put("k", "two");

        Entry e = bucket.get("k", r1).orElseThrow();

        assertThat(e.valueAsString()).isEqualTo("one");
        assertThat(e.revision()).isEqualTo(r1);
        assertThat(e.key()).isEqualTo("k");
        assertThat(e.operation()).isEqualTo(Operation.PUT);
    }

    @Test
    void getAtRevisionOfADeletedKeysOlderValueStillWorks() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "one");
        bucket.delete("k");

        assertThat(bucket.get("k", r1)).map(Entry::valueAsString).contains("one");
    }

    @Test
    void getAtRevisionOfAnotherKeyIsEmpty() {
        Bucket bucket = newBucket();
        bucket.put("a", "1");
        long rb = bucket.put("b", "2");

        assertThat(bucket.get("a", rb)).isEmpty();
    }

    @Test
    void getAtRevisionOfAMarkerIsEmpty() {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("a", "1");
        long del = bucket.delete("a");
        bucket.put("b", "1");
        long purge = bucket.purge("b");

        assertThat(bucket.get("a", del)).isEmpty();
        assertThat(bucket.get("b", purge)).isEmpty();
    }

    @Test
    void getAtRevisionTrimmedFromHistoryIsEmpty() {
        Bucket bucket = newBucketWithHistory(2);
        long r1 = bucket.put("k", "1");
        long r2 = bucket.put("k", "2");
        bucket.put("k", "3");

        assertThat(bucket.get("k", r1)).isEmpty();
        assertThat(bucket.get("k", r2)).isPresent();
    }

    @Test
    void getAtRevisionDroppedByPurgeIsEmpty() {
        Bucket bucket = newBucketWithHistory(5);
        long r1 = bucket.put("k", "1");
        bucket.purge("k");

        assertThat(bucket.get("k", r1)).isEmpty();
    }

    @Test
    void getAtRevisionNeverGivenOutIsEmpty() {
        Bucket bucket = newBucket();
        long last = bucket.put("k", "1");

        assertThat(bucket.get("k", last + 1)).isEmpty();
        assertThat(bucket.get("k", 0)).isEmpty();
    }

    // ---- values

    @Test
    void emptyValueIsAValue() {
        Bucket bucket = newBucket();

        long rev = bucket.put("k", new byte[0]);

        Entry e = bucket.getExisting("k");
        assertThat(e.value()).isEmpty();
        assertThat(e.operation()).isEqualTo(Operation.PUT);
        assertThat(e.revision()).isEqualTo(rev);
        assertThat(bucket.keys()).containsExactly("k");
    }

    @Test
    void everyByteValueRoundTrips() {
        Bucket bucket = newBucket();
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        byte[] large = new byte[200_000];
        new Random(42).nextBytes(large);

        bucket.put("all", all);
        bucket.put("large", large);

        assertThat(bucket.getExisting("all").value()).isEqualTo(all);
        assertThat(bucket.getExisting("large").value()).isEqualTo(large);
        assertThat(bucket.history("large").get(0).value()).isEqualTo(large);
    }

    @Test
    void unicodeTextRoundTrips() {
        Bucket bucket = newBucket();
        String text = "naïve ☃ 日本語 \uD83D\uDE80\n\ttabs";

        bucket.put("k", text);

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo(text);
    }

    @Test
    void storedValueIsIndependentOfTheCallersArrays() {
        Bucket bucket = newBucket();
        byte[] value = bytes("original");

        bucket.put("k", value);
        value[0] = 'X';
        bucket.getExisting("k").value()[1] = 'Y';

        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("original");
    }
}
