package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.contract.WatchRecorder;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link SkippedEntries} on a real nats-server. The tests' server (the Debian package, 2.9.10) moves a consumer of
 * the whole bucket past other keys' entries it has not sent yet when one key is purged: a bucket tail on a busy
 * machine lost a delete so (the watch contract's live writes arrived without {@code a DEL}). Here the interleaving
 * the busy machine produced by chance is made every time: a consumer with no subscriber sends nothing while the
 * entries are written, and a tail stops being sent entries while the watches' dispatcher thread is kept busy.
 */
@ExtendWith(NatsServerExtension.class)
class NatsSkippedEntriesTest implements NatsServerExtension.Aware {
    private static final Duration WAIT = Duration.ofSeconds(30);

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
        for (String name : store.bucketNames()) {
            store.delete(name);
        }
        store.close();
    }

    @Test
    void entriesAPurgeOfAnotherKeyPassedOverAreFoundAndDeliveredFirstInOrder() throws Exception {
        NatsBucket bucket = (NatsBucket) store.create(BucketConfig.builder("SKIP_PURGE").history(5).build());
        long start = bucket.put("a", "0");
        String deliver = "tend.test.skip.purge";
        store.management().addOrUpdateConsumer(bucket.streamName(), ConsumerConfiguration.builder()
                .durable("skip-purge").deliverSubject(deliver).filterSubject(bucket.readPrefix() + ">")
                .deliverPolicy(DeliverPolicy.New).ackPolicy(AckPolicy.None).build());
        long a1 = bucket.put("a", "1");
        long b1 = bucket.put("b", "1");
        long aDeleted = bucket.delete("a");
        long bPurged = bucket.purge("b"); // takes b=1 out of the stream on every server

        List<Long> sent = sentThrough(bucket, "skip-purge", bPurged);
        boolean skips = !store.serverVersion().orElseThrow()
                .atLeast(NatsServerVersion.PURGE_SPARES_OTHER_SUBJECTS);
        assertThat(sent).as("what the consumer sent").isEqualTo(skips ? List.of(bPurged) : List.of(a1, aDeleted,
                bPurged));

        SkippedEntries skipped = new SkippedEntries(bucket.name(), start, NatsBucketTail.next(store, bucket));
        List<String> delivered = new ArrayList<>();
        for (long seq : sent) {
            for (KeyValueEntry e : skipped.before(seq)) {
                delivered.add(e.getKey() + " " + e.getOperation() + " #" + e.getRevision());
            }
            delivered.add("#" + seq);
        }
        assertThat(b1).isLessThan(aDeleted);
        assertThat(delivered).as("the consumer's entries with those found before each").containsExactly(
                skips ? "a PUT #" + a1 : "#" + a1, skips ? "a DELETE #" + aDeleted : "#" + aDeleted, "#" + bPurged);
    }

    /**
     * A watch's tail stalls while the watches' dispatcher thread is busy: the server stops sending after about 2 MB
     * without an answer to its flow control, which jnats gives on that thread. So entries written meanwhile are not
     * sent when another key is purged, and the watch must still get those the purge left in the stream, in order.
     */
    @Test
    void aWatchGetsTheEntriesAPurgeOfAnotherKeyMadeItsTailPassOver() throws Exception {
        NatsBucket bucket = (NatsBucket) store.create(BucketConfig.builder("SKIP_TAIL").history(5).build());
        bucket.put("a", "0");
        WatchRecorder r = new WatchRecorder(WAIT);
        try (Watch watch = bucket.watch(List.of(), WatchOptions.defaults(), r)) {
            r.awaitCaughtUp();
            List<Long> kept;
            long b1;
            try (BusyDispatcher busy = new BusyDispatcher(store)) {
                kept = new ArrayList<>(pastTheWindow(bucket));
                kept.add(bucket.put("a", "1"));
                b1 = bucket.put("b", "1");
                kept.add(bucket.delete("a"));
                kept.add(bucket.purge("b")); // takes b=1 out of the stream
            }
            r.awaitRevision(kept.get(kept.size() - 1));

            assertThat(revisions(r.liveEntries())).as("every live entry still in the stream, in order; not %s", b1)
                    .containsExactlyElementsOf(kept);
        }
    }

    /**
     * A watch of updates only that joins while the bucket's tail is behind is caught up at the stream's last revision
     * at once; what the tail is still to hand on (sent late, or found in a gap) is older than that and not its.
     */
    @Test
    void aWatchOfUpdatesOnlyThatJoinsWhileTheTailIsBehindGetsOnlyWhatCameAfterIt() throws Exception {
        NatsBucket bucket = (NatsBucket) store.create(BucketConfig.builder("SKIP_LATE").history(5).build());
        bucket.put("a", "0");
        WatchRecorder first = new WatchRecorder(WAIT);
        WatchRecorder late = new WatchRecorder(WAIT);
        try (Watch firstWatch = bucket.watch(List.of(), WatchOptions.defaults(), first)) {
            first.awaitCaughtUp();
            long joined;
            Watch lateWatch;
            try (BusyDispatcher busy = new BusyDispatcher(store)) {
                pastTheWindow(bucket);
                bucket.put("a", "1");
                bucket.put("b", "1");
                joined = bucket.purge("b");
                lateWatch = bucket.watch(List.of(), WatchOptions.defaults().withUpdatesOnly(), late);
            }
            try (lateWatch) {
                late.awaitCaughtUp();
                long after = bucket.put("a", "2");
                first.awaitRevision(after);
                late.awaitRevision(after);

                assertThat(revisions(late.liveEntries())).as("entries up to %s came before the watch", joined)
                        .containsExactly(after);
            }
        }
    }

    /** Large entries, past the flow-control window of a consumer that is not answering: it is sent no more. */
    private static List<Long> pastTheWindow(NatsBucket bucket) {
        List<Long> revisions = new ArrayList<>();
        byte[] big = new byte[700 * 1024];
        for (int i = 0; i < 4; i++) {
            revisions.add(bucket.put("big", big));
        }
        return revisions;
    }

    /**
     * Keeps the store's watches' dispatcher thread busy until closed: the server stops sending their consumers after
     * about 2 MB without an answer to its flow control, which jnats gives on that thread.
     */
    private static final class BusyDispatcher implements AutoCloseable {
        private final Dispatcher dispatcher;
        private final Subscription blocker;
        private final CountDownLatch release = new CountDownLatch(1);

        BusyDispatcher(NatsKvStore store) throws InterruptedException {
            dispatcher = store.watches().dispatcher();
            CountDownLatch busy = new CountDownLatch(1);
            blocker = dispatcher.subscribe("tend.test.busy", m -> {
                busy.countDown();
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            });
            store.connection().publish("tend.test.busy", null);
            assertThat(busy.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the dispatcher is busy").isTrue();
        }

        @Override
        public void close() {
            release.countDown();
            dispatcher.unsubscribe(blocker);
        }
    }

    private static List<Long> revisions(List<Entry> entries) {
        return entries.stream().map(Entry::revision).toList();
    }

    /**
     * Why only the tail looks gaps up: a watch's default initial read (the latest entry of each key) is not moved by
     * the purge, a read of all history (or from a revision) is, on the servers that skip.
     */
    @Test
    void aPurgeDuringAnInitialReadSkipsHistoryButNotTheLatestPerKey() throws Exception {
        NatsBucket bucket = (NatsBucket) store.create(BucketConfig.builder("SKIP_INITIAL").history(5).build());
        long a0 = bucket.put("a", "0");
        long a1 = bucket.put("a", "1");
        long c0 = bucket.put("c", "0");
        for (DeliverPolicy policy : List.of(DeliverPolicy.LastPerSubject, DeliverPolicy.All)) {
            store.management().addOrUpdateConsumer(bucket.streamName(), ConsumerConfiguration.builder()
                    .durable("skip-" + policy).deliverSubject("tend.test.skip." + policy)
                    .filterSubject(bucket.readPrefix() + ">").deliverPolicy(policy).ackPolicy(AckPolicy.None)
                    .build());
        }
        long bPurged = bucket.purge("b");
        boolean skips = !store.serverVersion().orElseThrow()
                .atLeast(NatsServerVersion.PURGE_SPARES_OTHER_SUBJECTS);

        assertThat(sentThrough(bucket, "skip-" + DeliverPolicy.LastPerSubject, bPurged))
                .containsExactly(a1, c0, bPurged);
        assertThat(sentThrough(bucket, "skip-" + DeliverPolicy.All, bPurged))
                .isEqualTo(skips ? List.of(bPurged) : List.of(a0, a1, c0, bPurged));
    }

    @Test
    void aGapOfRemovedEntriesFindsNothingAndNoGapAsksNothing() throws Exception {
        NatsBucket bucket = (NatsBucket) store.create(BucketConfig.builder("SKIP_GONE").history(1).build());
        bucket.put("k", "1");
        bucket.put("k", "2");
        long last = bucket.put("k", "3"); // history 1: the two before are gone
        List<Long> asked = new ArrayList<>();
        SkippedEntries.NextMessage next = NatsBucketTail.next(store, bucket);
        SkippedEntries skipped = new SkippedEntries(bucket.name(), 0, seq -> {
            asked.add(seq);
            return next.from(seq);
        });

        assertThat(skipped.before(last)).isEmpty();
        assertThat(asked).containsExactly(1L);
        assertThat(skipped.before(last + 1)).isEmpty();
        assertThat(skipped.before(last + 1)).as("a sequence received again").isEmpty();
        assertThat(asked).as("asked again").containsExactly(1L);
    }

    @Test
    void whereNothingIsLookedUpAGapIsOnlyLogged() {
        SkippedEntries skipped = new SkippedEntries("B", 3, null);

        assertThat(skipped.before(10)).isEmpty();
        assertThat(skipped.before(11)).isEmpty();
    }

    /** Subscribes to the durable push consumer and collects the stream sequences it sends through {@code last}. */
    private List<Long> sentThrough(NatsBucket bucket, String durable, long last) throws Exception {
        JetStreamSubscription sub = store.jetStream().subscribe(bucket.readPrefix() + ">",
                PushSubscribeOptions.bind(bucket.streamName(), durable));
        try {
            List<Long> seqs = new ArrayList<>();
            while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < last) {
                Message m = sub.nextMessage(WAIT);
                if (m == null) {
                    fail("the consumer sent " + seqs + " and nothing more within " + WAIT);
                }
                if (m.isJetStream()) {
                    seqs.add(m.metaData().streamSequence());
                }
            }
            return seqs;
        } finally {
            sub.unsubscribe();
        }
    }
}
