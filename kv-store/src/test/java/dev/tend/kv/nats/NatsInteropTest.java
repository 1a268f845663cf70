package dev.tend.kv.nats;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.TestLocks;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.KvContractSupport;
import dev.tend.kv.contract.WatchRecorder;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.Republish;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Buckets are ordinary JetStream KV buckets: what Tend writes, jnats' own {@link KeyValue} API reads the same
 * (values, operations, revisions, history, keys, markers), and the reverse; the stream Tend creates for a config
 * is the one jnats creates for it.
 */
// jnats' own watch once skipped a live entry while CPU-heavy classes starved this JVM: not beside them.
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ_WRITE)
@ExtendWith(NatsServerExtension.class)
class NatsInteropTest implements NatsServerExtension.Aware {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private NatsServer server;
    private KvStore tend;
    private Connection nats;
    private KeyValueManagement kvm;
    private final List<String> buckets = new ArrayList<>();

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @BeforeEach
    void connect() throws Exception {
        tend = KvStore.open(server.url());
        nats = Nats.connect(server.url());
        kvm = nats.keyValueManagement();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String b : buckets) {
            if (kvm.getBucketNames().contains(b)) {
                kvm.delete(b);
            }
        }
        tend.close();
        nats.close();
    }

    private String newName() {
        String name = "interop_" + COUNTER.incrementAndGet() + "_" + Long.toString(System.nanoTime(), 36);
        buckets.add(name);
        return name;
    }

    // ---- Tend writes, jnats reads

    @Test
    void whatTendWritesJnatsReads() throws Exception {
        String name = newName();
        Bucket bucket = tend.create(BucketConfig.builder(name).history(5).description("from tend").build());
        long a1 = bucket.put("a", "1");
        long a2 = bucket.put("a", "2");
        long aDel = bucket.delete("a");
        long b1 = bucket.put("b.c", "bee");
        long p1 = bucket.put("p", "x");
        long pPurge = bucket.purge("p");
        long created = bucket.create("a", bytes("again"));

        KeyValue kv = nats.keyValue(name);
        KeyValueEntry b = kv.get("b.c");
        assertThat(b.getValueAsString()).isEqualTo("bee");
        assertThat(b.getRevision()).isEqualTo(b1);
        assertThat(b.getOperation()).isEqualTo(KeyValueOperation.PUT);
        assertThat(kv.get("a").getValueAsString()).isEqualTo("again");
        assertThat(kv.get("a", a1).getValueAsString()).isEqualTo("1");
        assertThat(kv.get("p")).as("a purged key").isNull();

        assertThat(kv.history("a")).extracting(KeyValueEntry::getRevision, KeyValueEntry::getOperation)
                .containsExactly(tuple(a1, KeyValueOperation.PUT), tuple(a2, KeyValueOperation.PUT),
                        tuple(aDel, KeyValueOperation.DELETE), tuple(created, KeyValueOperation.PUT));
        assertThat(kv.history("p")).extracting(KeyValueEntry::getRevision, KeyValueEntry::getOperation)
                .as("a purge leaves only its marker").containsExactly(tuple(pPurge, KeyValueOperation.PURGE));
        assertThat(kv.keys()).containsExactlyInAnyOrder("a", "b.c");
        assertThat(kv.getStatus().getDescription()).isEqualTo("from tend");
        assertThat(kv.getStatus().getMaxHistoryPerKey()).isEqualTo(5);

        // jnats' compare-and-set sees Tend's revisions.
        assertThat(kv.update("a", bytes("cas"), created)).isGreaterThan(created);
    }

    @Test
    void jnatsWatchSeesTendsLiveWrites() throws Exception {
        String name = newName();
        Bucket bucket = tend.create(BucketConfig.builder(name).build());
        bucket.put("k", "before");
        List<KeyValueEntry> seen = new CopyOnWriteArrayList<>();
        CountDownLatch caughtUp = new CountDownLatch(1);
        CountDownLatch three = new CountDownLatch(3);
        KeyValue kv = nats.keyValue(name);
        var sub = kv.watchAll(new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry e) {
                seen.add(e);
                three.countDown();
            }

            @Override
            public void endOfData() {
                caughtUp.countDown();
            }
        });
        try {
            assertThat(caughtUp.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            long put = bucket.put("k", "after");
            long del = bucket.delete("k");
            assertThat(three.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("entries: %s", seen).isTrue();
            assertThat(seen).extracting(KeyValueEntry::getOperation).containsExactly(KeyValueOperation.PUT,
                    KeyValueOperation.PUT, KeyValueOperation.DELETE);
            assertThat(seen.get(1).getRevision()).isEqualTo(put);
            assertThat(seen.get(2).getRevision()).isEqualTo(del);
        } finally {
            sub.unsubscribe();
        }
    }

    // ---- jnats writes, Tend reads

    @Test
    void whatJnatsWritesTendReadsAndWatches() throws Exception {
        String name = newName();
        kvm.create(KeyValueConfiguration.builder(name).maxHistoryPerKey(4).description("made by jnats")
                .maxBucketSize(1 << 20).ttl(Duration.ofHours(1)).build());
        KeyValue kv = nats.keyValue(name);
        long a1 = kv.put("a", "1");
        long a2 = kv.update("a", bytes("2"), a1);
        kv.delete("a");
        long b1 = kv.create("b", bytes("bee"));
        kv.put("p", "x");
        kv.purge("p");

        BucketConfig config = tend.bucket(name).status().config();
        assertThat(config.description()).isEqualTo("made by jnats");
        assertThat(config.history()).isEqualTo(4);
        assertThat(config.maxBucketSize()).isEqualTo(1 << 20);
        assertThat(config.ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.maxValueSize()).isEqualTo(BucketConfig.UNLIMITED);
        // Creating it again with the same config from Tend is the same bucket, not a conflict.
        assertThat(tend.create(config).name()).isEqualTo(name);

        Bucket bucket = tend.bucket(name);
        assertThat(bucket.get("a")).isEmpty();
        assertThat(bucket.get("a", a2).map(Entry::valueAsString)).contains("2");
        assertThat(bucket.getExisting("b").revision()).isEqualTo(b1);
        List<Entry> history = bucket.history("a");
        assertThat(history).extracting(Entry::operation).containsExactly(Operation.PUT, Operation.PUT, Operation.DEL);
        assertThat(history).extracting(Entry::revision).startsWith(a1, a2);
        assertThat(KvContractSupport.show(bucket.history("p").get(0))).isEqualTo("p PURGE");
        assertThat(bucket.history("p")).hasSize(1);
        assertThat(bucket.keys()).containsExactly("b");

        WatchRecorder r = new WatchRecorder(TIMEOUT);
        try (var w = bucket.watch(List.of(), WatchOptions.defaults(), r)) {
            r.awaitCaughtUp();
            assertThat(r.entries()).extracting(KvContractSupport::show).containsExactlyInAnyOrder("a DEL", "b=bee",
                    "p PURGE");
            long live = kv.put("b", "live");
            r.awaitRevision(live);
            assertThat(KvContractSupport.show(r.liveEntries().get(0))).isEqualTo("b=live");
        }
    }

    @Test
    void tendOpensABucketWithOptionsItDoesNotSetItself() throws Exception {
        String name = newName();
        // Memory storage, a max value size, metadata and compression (the last two are ignored before 2.10).
        kvm.create(KeyValueConfiguration.builder(name).storageType(StorageType.Memory).maxValueSize(2048)
                .metadata(Map.of("owner", "ops")).compression(true).build());
        nats.keyValue(name).put("k", "v");

        Bucket bucket = tend.bucket(name);
        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("v");
        BucketConfig config = bucket.status().config();
        assertThat(config.storage()).isEqualTo(dev.tend.kv.StorageType.MEMORY);
        assertThat(config.maxValueSize()).isEqualTo(2048);
        assertThat(config.history()).isEqualTo(1);
        bucket.put("k", "from tend");
        assertThat(nats.keyValue(name).get("k").getValueAsString()).isEqualTo("from tend");
    }

    @Test
    void tendReadsAndWritesABucketMadeByAnOlderClient() throws Exception {
        String name = newName();
        // As clients before allow_direct and discard-new made them: reads go through the stream API instead.
        nats.jetStreamManagement().addStream(StreamConfiguration.builder().name("KV_" + name)
                .subjects("$KV." + name + ".>").maxMessagesPerSubject(3).allowRollup(true).denyDelete(true)
                .discardPolicy(DiscardPolicy.Old).allowDirect(false).build());
        nats.keyValue(name).put("k", "old client");

        assertThat(tend.bucketNames()).contains(name);
        Bucket bucket = tend.bucket(name);
        assertThat(bucket.getExisting("k").valueAsString()).isEqualTo("old client");
        assertThat(bucket.status().config().history()).isEqualTo(3);
        long rev = bucket.put("k", "tend");
        bucket.delete("k");
        assertThat(bucket.get("k", rev).map(Entry::valueAsString)).contains("tend");
        assertThat(bucket.history("k")).extracting(Entry::operation).containsExactly(Operation.PUT, Operation.PUT,
                Operation.DEL);
    }

    @Test
    void updateFromTendKeepsWhatAnotherClientSetAndTendDoesNot() throws Exception {
        String name = newName();
        Republish republish = Republish.builder().source("$KV." + name + ".>").destination("repub." + name + ".>")
                .build();
        kvm.create(KeyValueConfiguration.builder(name).maxHistoryPerKey(2).republish(republish).build());

        Bucket bucket = tend.update(BucketConfig.builder(name).history(6).description("edited by tend").build());

        StreamConfiguration stream = nats.jetStreamManagement().getStreamInfo("KV_" + name).getConfiguration();
        assertThat(stream.getMaxMsgsPerSubject()).isEqualTo(6);
        assertThat(stream.getDescription()).isEqualTo("edited by tend");
        assertThat(stream.getRepublish()).as("the other client's republish").isNotNull();
        assertThat(stream.getRepublish().getDestination()).isEqualTo("repub." + name + ".>");
        assertThat(bucket.status().config().history()).isEqualTo(6);

        // A TTL under 2 min brings the duplicate window down with it, as jnats' own update does.
        tend.update(BucketConfig.builder(name).history(6).ttl(Duration.ofSeconds(30)).build());
        stream = nats.jetStreamManagement().getStreamInfo("KV_" + name).getConfiguration();
        assertThat(stream.getMaxAge()).isEqualTo(Duration.ofSeconds(30));
        assertThat(stream.getDuplicateWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(stream.getDescription()).as("removed").isNull();
        assertThat(stream.getRepublish()).isNotNull();
    }

    // ---- the stream behind a bucket

    @Test
    void tendCreatesTheStreamJnatsCreatesForTheSameConfig() throws Exception {
        String ours = newName();
        String theirs = newName();
        tend.create(BucketConfig.builder(ours).history(7).ttl(Duration.ofSeconds(30)).maxValueSize(4096)
                .maxBucketSize(1 << 20).description("same").build());
        kvm.create(KeyValueConfiguration.builder(theirs).maxHistoryPerKey(7).ttl(Duration.ofSeconds(30))
                .maxValueSize(4096).maxBucketSize(1 << 20).description("same").build());

        JetStreamManagement jsm = nats.jetStreamManagement();
        StreamConfiguration tendStream = jsm.getStreamInfo("KV_" + ours).getConfiguration();
        StreamConfiguration jnatsStream = jsm.getStreamInfo("KV_" + theirs).getConfiguration();

        assertThat(tendStream.getSubjects()).containsExactly("$KV." + ours + ".>");
        assertThat(tendStream.getAllowRollup()).isTrue();
        assertThat(tendStream.getDenyDelete()).isTrue();
        assertThat(tendStream.getAllowDirect()).isTrue();
        assertThat(tendStream.getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
        assertThat(tendStream.getRetentionPolicy()).isEqualTo(RetentionPolicy.Limits);
        assertThat(tendStream.getMaxMsgsPerSubject()).isEqualTo(7);
        assertThat(tendStream.getMaxAge()).isEqualTo(Duration.ofSeconds(30));
        assertThat(tendStream.getDuplicateWindow()).as("the TTL when under 2 min").isEqualTo(Duration.ofSeconds(30));
        assertThat(tendStream.getMaxMsgSize()).isEqualTo(4096);
        assertThat(tendStream.getMaxBytes()).isEqualTo(1 << 20);
        assertThat(tendStream.getMaxMsgs()).isEqualTo(-1);
        assertThat(tendStream.getMaxConsumers()).isEqualTo(-1);
        // Everything else as jnats sets it: the whole config, with the names swapped.
        assertThat(tendStream.toJson().replace(ours, theirs)).isEqualTo(jnatsStream.toJson());
    }

    @Test
    void defaultConfigsMatchToo() throws Exception {
        String ours = newName();
        String theirs = newName();
        tend.create(BucketConfig.builder(ours).build());
        kvm.create(KeyValueConfiguration.builder(theirs).build());

        JetStreamManagement jsm = nats.jetStreamManagement();
        StreamConfiguration tendStream = jsm.getStreamInfo("KV_" + ours).getConfiguration();
        StreamConfiguration jnatsStream = jsm.getStreamInfo("KV_" + theirs).getConfiguration();
        assertThat(tendStream.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(tendStream.getMaxMsgSize()).isEqualTo(-1);
        assertThat(tendStream.getMaxBytes()).isEqualTo(-1);
        assertThat(tendStream.toJson().replace(ours, theirs)).isEqualTo(jnatsStream.toJson());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
