package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.Operation;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening a NATS store: URLs, several servers, unreachable servers, and the test harness's own failure. */
@ExtendWith(NatsServerExtension.class)
class NatsBackendTest implements NatsServerExtension.Aware {
    private NatsServer server;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @Test
    void natsUrlOpensTheNatsBackend() {
        try (KvStore store = KvStore.open(server.url())) {
            assertThat(store.backend()).isEqualTo("nats");
            assertThat(store.url()).isEqualTo(server.url());
            assertThat(store.guarantees().maxReplicas()).as("a single server").isEqualTo(1);
        }
    }

    @Test
    void severalServersAreTriedInTurn() {
        // The first server refuses connections: the client goes on to the second.
        String url = "nats://127.0.0.1:" + unusedPort() + ",127.0.0.1:" + server.port();
        try (KvStore store = KvStore.open(url)) {
            assertThat(store.bucketNames()).isNotNull();
            assertThat(store.url()).isEqualTo(url);
        }
    }

    @Test
    void severalServersAreParsedWithDefaultPorts() {
        NatsUrl url = NatsUrl.parse(URI.create("nats://a:4223,b"));

        assertThat(url.servers()).containsExactly("nats://a:4223", "nats://b:4222");
    }

    @Test
    void unreachableServerIsAOneLineStoreError() {
        String url = "nats://127.0.0.1:" + unusedPort();

        assertThatThrownBy(() -> KvStore.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot connect to NATS at " + url)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void malformedNatsUrlsAreRefused() {
        assertThatThrownBy(() -> KvStore.open("nats://a:1,,b:2"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty server");
        assertThatThrownBy(() -> KvStore.open("nats://user:secret@a:1,,b:2"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty server")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret").contains("user:***@"));
        assertThatThrownBy(() -> KvStore.open("nats://user:secret@a:1,other:secret2@b:2"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("credentials once")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
        assertThatThrownBy(() -> KvStore.open("nats://user:@a:1"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("user:password@ or token@");
    }

    @Test
    void restoreRefusesEntriesOutOfRevisionOrderAndLeavesNoBucket() {
        try (KvStore store = KvStore.open(server.url())) {
            BucketConfig config = BucketConfig.builder("nats_restore_order_" + System.nanoTime()).build();
            Entry later = new Entry(config.name(), "a", new byte[] {2}, 5, Instant.now(), 0, Operation.PUT);
            Entry earlier = new Entry(config.name(), "b", new byte[] {1}, 3, Instant.now(), 0, Operation.PUT);

            assertThatThrownBy(() -> store.restore(config, List.of(later, earlier)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("revision 3");
            assertThat(store.exists(config.name())).isFalse();
        }
    }

    @Test
    void missingServerBinaryFailsWithAClearMessage(@TempDir Path dir) {
        assertThatThrownBy(() -> NatsServer.start(dir.resolve("nats-server")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nats-server not found").hasMessageContaining("apt-get install nats-server");
    }

    private static int unusedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
