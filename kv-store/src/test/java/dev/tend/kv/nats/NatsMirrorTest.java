package dev.tend.kv.nats;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.NotFoundException;
import dev.tend.kv.Operation;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mirror buckets (read replicas): a mirror serves its origin's entries from its own stream and refuses writes. That
 * a mirror on a cluster still answers while the origin's only server is down is in {@link NatsClusterTest}, which
 * has the cluster.
 */
@ExtendWith(NatsServerExtension.class)
class NatsMirrorTest implements NatsServerExtension.Aware {
    private NatsServer server;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @Test
    void mirrorServesTheOriginsEntriesKeysAndHistory() {
        try (KvStore store = KvStore.open(server.url())) {
            Bucket origin = store.create(config("origin").build());
            long a1 = origin.put("a", bytes("1"));
            long b1 = origin.put("b", bytes("2"));
            long a2 = origin.put("a", bytes("3"));
            long bDeleted = origin.delete("b");
            long c1 = origin.put("c.x", bytes("4"));

            Bucket mirror = store.create(config("mirror").mirror(origin.name()).build());
            awaitMirrored(origin, mirror);

            assertThat(mirror.get("a")).get().satisfies(e -> {
                assertThat(e.value()).isEqualTo(bytes("3"));
                assertThat(e.revision()).isEqualTo(a2);
                assertThat(e.bucket()).isEqualTo(mirror.name());
            });
            assertThat(mirror.get("b")).as("deleted in the origin").isEmpty();
            assertThat(mirror.get("nothing")).isEmpty();
            assertThat(mirror.get("a", a1)).get().extracting(Entry::value).isEqualTo(bytes("1"));
            assertThat(mirror.get("b", b1)).get().extracting(Entry::value).isEqualTo(bytes("2"));
            assertThat(mirror.get("a", b1)).as("another key's revision").isEmpty();
            assertThat(mirror.history("a")).extracting(Entry::revision).containsExactly(a1, a2);
            assertThat(mirror.history("b")).extracting(Entry::operation).containsExactly(Operation.PUT, Operation.DEL);
            assertThat(mirror.history("b").get(1).revision()).isEqualTo(bDeleted);
            assertThat(mirror.history("nothing")).isEmpty();
            assertThat(mirror.keys()).containsExactly("a", "c.x");
            assertThat(mirror.keys(List.of("c.>"))).containsExactly("c.x");
            assertThat(store.bucket(mirror.name()).status().config().mirror()).isEqualTo(origin.name());
            assertThat(store.bucket(mirror.name()).get("c.x")).get().extracting(Entry::revision).isEqualTo(c1);

            long a3 = origin.put("a", bytes("5"));
            Eventually.until("the new write in the mirror",
                    () -> mirror.get("a").map(e -> e.revision() == a3).orElse(false));
        }
    }

    @Test
    void watchThroughAMirrorGivesTheOriginsEntriesThenItsNewWrites() {
        try (KvStore store = KvStore.open(server.url())) {
            Bucket origin = store.create(config("origin").build());
            origin.put("a", bytes("1"));
            long aLatest = origin.put("a", bytes("2"));
            long bDeleted = origin.delete("b");
            Bucket mirror = store.create(config("mirror").mirror(origin.name()).build());
            awaitMirrored(origin, mirror);

            WatchRecorder recorder = new WatchRecorder(Eventually.DEADLINE);
            try (Watch watch = mirror.watch(List.of(), WatchOptions.defaults(), recorder)) {
                recorder.awaitCaughtUp();
                assertThat(recorder.initialEntries()).extracting(Entry::revision).containsExactly(aLatest, bDeleted);

                long live = origin.put("c", bytes("3"));
                recorder.awaitRevision(live);
                assertThat(recorder.liveEntries()).extracting(Entry::key).containsExactly("c");
                assertThat(watch.isActive()).isTrue();
            }
        }
    }

    @Test
    void writesThroughAMirrorAreRefusedAndNameTheOrigin() {
        try (KvStore store = KvStore.open(server.url())) {
            Bucket origin = store.create(config("origin").build());
            long a1 = origin.put("a", bytes("1"));
            BucketConfig mirrorConfig = config("mirror").mirror(origin.name()).build();
            store.create(mirrorConfig);
            // A handle opened afresh knows it is a mirror too.
            Bucket mirror = store.bucket(mirrorConfig.name());
            String message = "bucket " + mirror.name() + " is a read replica of " + origin.name() + ": write to "
                    + origin.name();

            List<ThrowingCallable> writes = List.of(
                    () -> mirror.put("a", bytes("2")),
                    () -> mirror.create("new", bytes("2")),
                    () -> mirror.update("a", bytes("2"), a1),
                    () -> mirror.delete("a"),
                    () -> mirror.delete("a", a1),
                    () -> mirror.purge("a"),
                    () -> mirror.purge("a", a1),
                    () -> mirror.purgeDeletes(Duration.ZERO),
                    mirror::purgeAll);
            for (ThrowingCallable write : writes) {
                assertThatThrownBy(write).isInstanceOf(UnsupportedFeatureException.class).hasMessage(message);
            }
            awaitMirrored(origin, mirror);
            assertThat(mirror.history("a")).extracting(Entry::revision).containsExactly(a1);
            assertThat(origin.status().lastRevision()).as("nothing reached the origin").isEqualTo(a1);
        }
    }

    @Test
    void mirrorOfAnUnknownBucketIsRefused() {
        try (KvStore store = KvStore.open(server.url())) {
            BucketConfig config = config("mirror").mirror("no_such_origin").build();

            assertThatThrownBy(() -> store.create(config))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessage("bucket " + config.name() + " cannot mirror no_such_origin: unknown bucket"
                            + " no_such_origin");
            assertThat(store.exists(config.name())).isFalse();
        }
    }

    @Test
    void aMirrorIsNotRestoredFromABackup() {
        try (KvStore store = KvStore.open(server.url())) {
            Bucket origin = store.create(config("origin").build());
            BucketConfig config = config("mirror").mirror(origin.name()).build();

            assertThatThrownBy(() -> store.restore(config, List.of()))
                    .isInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageContaining("it is a read replica of " + origin.name())
                    .hasMessageContaining("restore " + origin.name());
            assertThat(store.exists(config.name())).isFalse();
        }
    }

    static void awaitMirrored(Bucket origin, Bucket mirror) {
        long last = origin.status().lastRevision();
        Eventually.until("mirror " + mirror.name() + " at revision " + last,
                () -> mirror.status().lastRevision() == last);
    }

    static BucketConfig.Builder config(String role) {
        return BucketConfig.builder(role + "_" + System.nanoTime()).history(5);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
