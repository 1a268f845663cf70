package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared reader's bookkeeping, which the contract cannot see: watches that caught up follow the tail, a follower
 * whose listener lets entries pile up is detached with a bounded queue and reads by itself, and joins again once it
 * has caught up.
 */
class FeedTailTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private KvStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aFollowerWhoseListenerBlocksIsDetachedWithABoundedQueueAndJoinsAgainWhenCaughtUp() throws Exception {
        store = KvStore.builder().directory(dir).durability(Durability.RELAXED).build();
        Bucket bucket = store.create(BucketConfig.builder("B").build());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger mostQueued = new AtomicInteger();
        List<EmbeddedWatch> watches = new ArrayList<>();
        WatchRecorder slow = new WatchRecorder(TIMEOUT) {
            @Override
            public void onEntry(Entry entry) {
                try {
                    release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                mostQueued.accumulateAndGet(watches.get(0).queued(), Math::max);
                super.onEntry(entry);
            }
        };
        WatchRecorder fast = new WatchRecorder(TIMEOUT);
        watches.add((EmbeddedWatch) bucket.watch(List.of(), WatchOptions.defaults(), slow));
        EmbeddedWatch other = (EmbeddedWatch) bucket.watch(List.of("k.*"), WatchOptions.defaults(), fast);
        slow.awaitCaughtUp();
        fast.awaitCaughtUp();
        awaitFollowing(watches.get(0));
        awaitFollowing(other);

        int writes = FeedTail.MAX_QUEUED * 3;
        long last = 0;
        for (int i = 0; i < writes; i++) {
            last = bucket.put("k." + i, "v" + i);
        }
        fast.awaitRevision(last);
        assertThat(watches.get(0).isFollowing()).as("the blocked watch still follows the tail").isFalse();
        assertThat(other.isFollowing()).isTrue();

        release.countDown();
        slow.awaitRevision(last);
        awaitFollowing(watches.get(0));
        assertThat(slow.entries()).hasSize(writes);
        assertThat(mostQueued.get()).as("entries queued for the blocked watch at most")
                .isLessThanOrEqualTo(FeedTail.MAX_QUEUED + EmbeddedWatch.BATCH);
        long next = bucket.put("k.0", "again");
        slow.awaitRevision(next);
        fast.awaitRevision(next);
    }

    private static void awaitFollowing(EmbeddedWatch w) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!w.isFollowing()) {
            assertThat(System.nanoTime()).as("the watch joins the tail").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
