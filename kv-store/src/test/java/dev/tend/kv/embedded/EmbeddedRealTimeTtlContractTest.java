package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.contract.RealTimeTtlContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract on the test's clock; one test lets real time pass, on a store opened without a clock. */
class EmbeddedRealTimeTtlContractTest extends RealTimeTtlContract {
    @TempDir
    Path dir;

    @Override
    protected KvStore openStore(Clock clock) {
        return KvStore.builder().directory(dir).clock(clock).build();
    }

    /** A store opened without a clock ages its entries on the system clock. */
    @Test
    void entriesOfAStoreWithoutAClockExpireAsRealTimePasses(@TempDir Path own) throws InterruptedException {
        try (KvStore system = KvStore.builder().directory(own).build()) {
            Bucket bucket = system.create(BucketConfig.builder("real_time").ttl(TTL).build());
            long rev = bucket.put("k", "v");
            assertThat(bucket.get("k")).isPresent();

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (bucket.get("k").isPresent()) {
                assertThat(System.nanoTime()).as("k expired within 30s").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(bucket.get("k", rev)).isEmpty();
            assertThat(bucket.keys()).isEmpty();
        }
    }
}
