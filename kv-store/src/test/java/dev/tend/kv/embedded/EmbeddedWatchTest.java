package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a watch keeps, which the contract cannot see: the initial entries it chose at start (one per key for a watch
 * of every key) are released once delivered, so a long-lived watch of a large bucket does not hold them.
 */
class EmbeddedWatchTest {
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
    void theInitialEntriesAreReleasedOnceDelivered() throws Exception {
        store = KvStore.builder().directory(dir).durability(Durability.RELAXED).build();
        Bucket bucket = store.create(BucketConfig.builder("B").history(3).build());
        int keys = EmbeddedWatch.BATCH * 3 + 7; // several batches
        long last = 0;
        for (int i = 0; i < keys; i++) {
            last = bucket.put("k." + i, "v" + i);
        }
        WatchRecorder all = new WatchRecorder(TIMEOUT);
        WatchRecorder history = new WatchRecorder(TIMEOUT);
        EmbeddedWatch w = (EmbeddedWatch) bucket.watch(List.of(), WatchOptions.defaults(), all);
        EmbeddedWatch h = (EmbeddedWatch) bucket.watch(List.of("k.1"),
                WatchOptions.defaults().withIncludeHistory(), history);
        all.awaitCaughtUp();
        history.awaitCaughtUp();
        assertThat(all.entries()).hasSize(keys);
        assertThat(all.entries().get(keys - 1).revision()).isEqualTo(last);
        assertThat(w.initialHeld()).isZero();
        assertThat(h.initialHeld()).isZero();

        // Live entries still arrive after the release.
        long next = bucket.put("k.0", "again");
        all.awaitRevision(next);
        assertThat(w.initialHeld()).isZero();
        w.close();
        h.close();
    }
}
