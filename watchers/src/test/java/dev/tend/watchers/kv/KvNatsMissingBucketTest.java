package dev.tend.watchers.kv;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.nats.NatsServer;
import dev.tend.kv.nats.NatsServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bucket created on a real nats-server just after the kv watcher started is found at the watcher's next quick look
 * (100 ms, then doubling), in watch mode and in poll mode, with the machine's time driven by hand; and, in watch
 * mode, one created while the looks are 2 s apart is looked for at once, on the store's notice of its creation (the
 * clock stands still).
 */
@ExtendWith(NatsServerExtension.class)
class KvNatsMissingBucketTest implements NatsServerExtension.Aware {

    @TempDir
    Path dir;

    private NatsServer server;
    private KvStore nats;
    private KvBed bed;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @BeforeEach
    void open() {
        nats = KvStore.open(server.url());
        bed = new KvBed(dir);
        bed.storeForMachines = () -> nats;
    }

    @AfterEach
    void close() {
        bed.close();
        nats.close();
    }

    /**
     * The machine of {@link KvBed#MACHINE} under a name of its own, so that what it logs is not in the logs the other
     * kv tests, running beside this class, capture for {@code m}.
     */
    private void start(String interval, String properties) {
        bed.startYaml(KvBed.yaml(interval, properties).replace("name: m\n", "name: late_bucket\n"));
    }

    @Test
    void watchModeFindsABucketCreatedAfterItStarted() {
        start("", "{bucket: LATE_WATCH, key: username, mode: watch}");
        assertThat(bed.transitions()).containsExactly("failed:broken");
        bed.advance(Duration.ofMillis(100)); // a look: still missing
        assertThat(bed.scheduler.nextDelay()).contains(Duration.ofMillis(200));

        nats.create(BucketConfig.builder("LATE_WATCH").build()).put("username", "alice");
        bed.advance(Duration.ofMillis(200));
        bed.await("the value", () -> bed.count("changed") == 1);
        assertThat(bed.watcherState(bed.lastMachine())).containsEntry("state", "changed");
    }

    @Test
    void pollModeFindsABucketCreatedAfterItStarted() {
        start("10s", "{bucket: LATE_POLL, key: username}");
        assertThat(bed.transitions()).containsExactly("failed:broken");
        bed.advance(Duration.ofMillis(100)); // a look: still missing, fires nothing
        assertThat(bed.transitions()).containsExactly("failed:broken");

        nats.create(BucketConfig.builder("LATE_POLL").build()).put("username", "alice");
        bed.advance(Duration.ofMillis(200));
        assertThat(bed.transitions()).containsExactly("failed:broken", "changed:a");
        assertThat(bed.watcherState(bed.lastMachine())).containsEntry("state", "changed");
    }

    /** The watcher's looks are 2 s apart: the next one is due in 2 s of a clock that does not move. */
    private InterceptingStore waitingAtTheLongestLook(String properties) {
        InterceptingStore store = new InterceptingStore(nats);
        bed.storeForMachines = () -> store;
        start("", properties);
        for (long ms : new long[] {100, 200, 400, 800, 1600}) {
            bed.advance(Duration.ofMillis(ms)); // a look: still missing
        }
        assertThat(bed.scheduler.nextDelay()).contains(Duration.ofSeconds(2));
        assertThat(store.looks()).isEqualTo(6);
        return store;
    }

    @Test
    void watchModeLooksAtOnceWhenTheStoreTellsTheBucketWasCreated() {
        InterceptingStore store = waitingAtTheLongestLook("{bucket: NOTICE_WATCH, key: username, mode: watch}");

        nats.create(BucketConfig.builder("NOTICE_WATCH").build()).put("username", "alice");
        bed.await("the value", () -> bed.count("changed") == 1);
        assertThat(store.looks()).isEqualTo(7); // one look, on the notice: no time passed
        assertThat(bed.watcherState(bed.lastMachine())).containsEntry("state", "changed");
    }
}
