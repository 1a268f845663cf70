package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer thread interrupted again and again while it puts: an interrupt that lands during the log's write or force
 * makes the JDK close the log's channel. The put in flight may fail; the store stays usable (its files are opened
 * again), and every acknowledged put is there, in this store and in a store opened afresh.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LogWriteInterruptTest {
    @TempDir
    Path dir;

    @Test
    void interruptsDuringWritesLeaveTheStoreUsableAndLoseNothingAcknowledged() throws Exception {
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        try (KvStore store = KvStore.builder().directory(dir).durability(Durability.DURABLE).build()) {
            store.create(BucketConfig.builder("B").history(1).build());
            Bucket bucket = store.bucket("B");
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String key = "k" + i;
                    try {
                        bucket.put(key, "v" + i);
                        acked.put(key, "v" + i);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                    Thread.interrupted();
                }
            }, "interrupted-writer");
            writer.start();
            // Interrupts at random moments, once the writer is under way, until a few puts failed (each one an
            // interrupt that landed in a file call) and later ones were acknowledged again, or 2,000 interrupts.
            while (acked.isEmpty() && writer.isAlive()) {
                LockSupport.parkNanos(100_000);
            }
            int ackedBefore = 0;
            for (int n = 0; n < 2_000 && (failed.get() < 5 || acked.size() <= ackedBefore); n++) {
                if (failed.get() < 5) {
                    ackedBefore = acked.size();
                }
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, 1_000_000));
                writer.interrupt();
            }
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).isFalse();

            bucket.put("after", "the storm");
            assertThat(bucket.get("after").map(LogWriteInterruptTest::text)).contains("the storm");
            assertAll(bucket, acked);
        }
        try (KvStore again = KvStore.builder().directory(dir).durability(Durability.DURABLE).build()) {
            Bucket bucket = again.bucket("B");
            assertAll(bucket, acked);
            assertThat(bucket.get("after").map(LogWriteInterruptTest::text)).contains("the storm");
        }
    }

    private static void assertAll(Bucket bucket, Map<String, String> acked) {
        assertThat(acked).isNotEmpty();
        acked.forEach((k, v) -> assertThat(bucket.get(k).map(LogWriteInterruptTest::text)).as(k)
                .isEqualTo(Optional.of(v)));
    }

    private static String text(Entry e) {
        return new String(e.value(), StandardCharsets.UTF_8);
    }
}
