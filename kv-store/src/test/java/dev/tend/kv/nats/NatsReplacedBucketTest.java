package dev.tend.kv.nats;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketReplacedException;
import dev.tend.kv.KvStore;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder;
import dev.tend.kv.contract.WatchRecorder.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bucket deleted and created again on the server by another client while a watch follows it. JetStream's ordered
 * consumer does not follow the new stream: it stays on the one that is gone and delivers nothing more, so the watch
 * notices the new stream itself and ends with {@link BucketReplacedException}, as an embedded watch does when its
 * bucket's directory is replaced.
 */
@ExtendWith(NatsServerExtension.class)
class NatsReplacedBucketTest implements NatsServerExtension.Aware {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private NatsServer server;
    private final List<KvStore> stores = new ArrayList<>();
    private String name;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @AfterEach
    void cleanUp() {
        if (!stores.isEmpty() && stores.get(0).exists(name)) {
            stores.get(0).delete(name);
        }
        stores.forEach(KvStore::close);
    }

    /** A store of its own: another connection, as another process would have. */
    private KvStore open() {
        KvStore s = KvStore.open(server.url());
        stores.add(s);
        return s;
    }

    private BucketConfig config() {
        name = "replaced_" + COUNTER.incrementAndGet() + "_" + Long.toString(System.nanoTime(), 36);
        return BucketConfig.builder(name).history(3).build();
    }

    @Test
    void aWatchEndsWhenItsBucketIsDeletedAndCreatedAgain() {
        BucketConfig config = config();
        Bucket watched = open().create(config);
        WatchRecorder r = new WatchRecorder(TIMEOUT);
        watched.watch(List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();
        // An entry just delivered: the watch's next look at the bucket is half a second away, well after both steps.
        r.awaitRevision(watched.put("a", "old"));

        KvStore other = open();
        other.delete(name);
        other.create(config).put("a", "new");
        r.awaitEnd();

        assertThat(r.errors()).singleElement().isInstanceOfSatisfying(BucketReplacedException.class,
                e -> assertThat(e.getMessage()).isEqualTo("bucket " + name + " was removed or replaced while watching"));
        assertThat(r.liveEntries()).extracting(e -> e.valueAsString()).containsExactly("old");
        assertThat(watched.get("a").orElseThrow().valueAsString()).as("a handle follows the new bucket")
                .isEqualTo("new");
    }

    @Test
    void aWatchWhoseBucketIsDeletedEndsCleanly() {
        Bucket watched = open().create(config());
        WatchRecorder r = new WatchRecorder(TIMEOUT);
        watched.watch(List.of(), WatchOptions.defaults(), r);
        r.awaitCaughtUp();

        open().delete(name);
        r.awaitEnd();

        assertThat(r.errors()).isEmpty();
        assertThat(r.count(Kind.END)).isEqualTo(1);
    }
}
