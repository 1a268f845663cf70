package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KvStore#whenCreated} on a real nats-server: the listener hears its bucket's creation through JetStream's
 * stream-created advisory, not another bucket's; one subscription serves every listener and goes with the last.
 */
@ExtendWith(NatsServerExtension.class)
class NatsCreationNoticeTest implements NatsServerExtension.Aware {

    private NatsServer server;
    private NatsKvStore store;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @BeforeEach
    void open() {
        store = (NatsKvStore) KvStore.open(server.url());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aListenerHearsItsBucketCreatedAndNoOther() throws Exception {
        AtomicInteger notified = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        try (var n = store.whenCreated("NOTICE_A", notified::incrementAndGet);
             var o = store.whenCreated("NOTICE_B", other::incrementAndGet)) {
            assertThat(store.notices().subscriptions()).isEqualTo(1);
            store.create(BucketConfig.builder("NOTICE_A").build());
            Eventually.until("the creation notice", () -> notified.get() == 1);
            // The advisory for NOTICE_A came; anything for NOTICE_B would have come before a round trip after it.
            store.connection().flush(Duration.ofSeconds(10));
            assertThat(other.get()).isZero();
        }
        assertThat(store.notices().subscriptions()).isZero();
    }

    @Test
    void aClosedNoticeHearsNothingAndTheSubscriptionStaysWhileOthersWait() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        var first = store.whenCreated("NOTICE_C", closed::incrementAndGet);
        try (var second = store.whenCreated("NOTICE_C", open::incrementAndGet)) {
            first.close();
            first.close(); // again: nothing
            assertThat(store.notices().subscriptions()).isEqualTo(1);
            store.create(BucketConfig.builder("NOTICE_C").build());
            Eventually.until("the creation notice", () -> open.get() == 1);
            assertThat(closed.get()).isZero();
        }
        assertThat(store.notices().subscriptions()).isZero();
    }
}
