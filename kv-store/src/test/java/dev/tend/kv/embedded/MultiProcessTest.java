package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.TestLocks;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Several processes on one store: compare-and-set across JVMs loses no update, and a watcher in this process sees
 * the writes of another process. Waits are generous and end as soon as the condition holds; no latency is
 * asserted.
 */
@ResourceLock(value = TestLocks.CPU, mode = ResourceAccessMode.READ)
class MultiProcessTest {
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void casAcrossTwoProcessesLosesNoUpdate() throws Exception {
        Path dir = tmp.resolve("store");
        int perChild = Integer.getInteger("tend.cas.increments", 1_000);
        int expectedTotal = 2 * perChild;
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            Bucket bucket = store.create(BucketConfig.builder("cas").history(64).build());
            Recorder watcher = new Recorder();
            try (Watch w = bucket.watch(List.of("counter"), WatchOptions.defaults().withUpdatesOnly(), watcher)) {
                watcher.awaitCaughtUp();
                assertThat(w.isActive()).isTrue();
                ChildJvm a = null;
                ChildJvm b = null;
                try {
                    a = ChildJvm.start("cas-a", tmp.resolve("logs"), "cas", dir.toString(), "cas", "counter",
                            Integer.toString(perChild));
                    b = ChildJvm.start("cas-b", tmp.resolve("logs"), "cas", dir.toString(), "cas", "counter",
                            Integer.toString(perChild));
                    expectLine(a, "READY");
                    expectLine(b, "READY");
                    a.send("GO");
                    b.send("GO");
                    long[] ra = done(a);
                    long[] rb = done(b);
                    assertThat(a.waitFor(30, TimeUnit.SECONDS)).as("exit code of child a" + a.stderrTail()).isZero();
                    assertThat(b.waitFor(30, TimeUnit.SECONDS)).as("exit code of child b" + b.stderrTail()).isZero();
                    System.out.println("MultiProcessTest CAS: child a " + ra[0] + " updates, " + ra[1]
                            + " retries; child b " + rb[0] + " updates, " + rb[1] + " retries");
                    assertThat(ra[0] + rb[0]).isEqualTo(expectedTotal);
                } finally {
                    if (a != null) {
                        a.close();
                    }
                    if (b != null) {
                        b.close();
                    }
                }

                // This process sees the other processes' writes on its next read.
                Entry last = bucket.get("counter").orElseThrow();
                assertThat(last.valueAsString()).as("the counter after " + expectedTotal + " increments")
                        .isEqualTo(Integer.toString(expectedTotal));
                List<Entry> history = bucket.history("counter");
                assertThat(history).hasSize(64);
                long prevRev = 0;
                long prevValue = expectedTotal - 64;
                for (Entry e : history) {
                    assertThat(e.revision()).as("history revisions strictly increasing").isGreaterThan(prevRev);
                    assertThat(Long.parseLong(e.valueAsString())).as("history values consecutive at %s", e)
                            .isEqualTo(prevValue + 1);
                    prevRev = e.revision();
                    prevValue++;
                }
                // Only the counter was written and a refused update writes nothing: revision n holds value n.
                assertThat(last.revision()).as("revision of the last increment").isEqualTo(expectedTotal);
                assertThat(bucket.status().lastRevision()).isEqualTo(expectedTotal);

                // The watcher saw writes from both processes in order, each once (it may legitimately end with
                // "fell behind" if compaction outran it; then it must have stopped cleanly).
                waitFor(() -> watcher.lastRevision() >= expectedTotal || watcher.error.get() != null,
                        "the watcher to see revision " + expectedTotal + " (saw " + watcher.lastRevision() + ")");
                List<Entry> seen = watcher.entries();
                long prev = 0;
                for (Entry e : seen) {
                    assertThat(e.revision()).as("watch delivers in revision order, each once").isGreaterThan(prev);
                    assertThat(e.valueAsString()).as("value at revision %d", e.revision())
                            .isEqualTo(Long.toString(e.revision()));
                    prev = e.revision();
                }
                if (watcher.error.get() == null) {
                    assertThat(seen).as("every write delivered").hasSize(expectedTotal);
                } else {
                    assertThat(watcher.error.get()).isInstanceOf(dev.tend.kv.FellBehindException.class);
                    System.out.println("MultiProcessTest CAS: watcher fell behind after " + seen.size() + " entries");
                }
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void watcherSeesWritesOfAnotherProcess() throws Exception {
        Path dir = tmp.resolve("store");
        int count = 50;
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            Bucket bucket = store.create(BucketConfig.builder("watched").history(10).build());
            bucket.put("w.before", "already there");
            Recorder all = new Recorder();
            Recorder one = new Recorder();
            try (Watch w1 = bucket.watch(List.of(), WatchOptions.defaults(), all);
                 Watch w2 = bucket.watch("w.k1", one)) {
                all.awaitCaughtUp();
                one.awaitCaughtUp();
                assertThat(w1.isActive() && w2.isActive()).isTrue();
                assertThat(all.entries()).extracting(Entry::key).containsExactly("w.before");
                assertThat(one.entries()).isEmpty();

                List<String> acks = new ArrayList<>();
                try (ChildJvm child = ChildJvm.start("puts", tmp.resolve("logs"), "puts", dir.toString(), "watched",
                        Integer.toString(count))) {
                    expectLine(child, "READY");
                    child.send("GO");
                    while (true) {
                        String line = child.nextLine(WAIT_SECONDS, TimeUnit.SECONDS);
                        if (line == null || line.equals(ChildJvm.EOF) || line.startsWith("ERROR")) {
                            fail("child: " + line + child.stderrTail());
                        }
                        if (line.equals("DONE")) {
                            break;
                        }
                        acks.add(line);
                    }
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isZero();
                }
                assertThat(acks).hasSize(count);
                waitFor(() -> all.entries().size() >= count + 1 || all.error.get() != null,
                        "the watcher to see the other process's " + count + " writes (saw "
                                + (all.entries().size() - 1) + ")");
                long toK1 = acks.stream().filter(l -> l.contains(" w.k1 ")).count();
                waitFor(() -> one.entries().size() >= toK1 || one.error.get() != null,
                        "the filtered watcher to see the other process's writes to w.k1");
                assertThat(all.error.get()).isNull();
                assertThat(one.error.get()).isNull();

                List<Entry> live = all.entries().subList(1, all.entries().size());
                List<String> got = live.stream().map(e -> "ACK " + e.revision() + " " + e.key() + " "
                        + e.valueAsString()).toList();
                assertThat(got).as("every write of the other process, in order, each once").isEqualTo(acks);
                assertThat(one.entries()).extracting(Entry::key).containsOnly("w.k1");
                assertThat(one.entries()).extracting(Entry::valueAsString).isEqualTo(
                        acks.stream().filter(l -> l.contains(" w.k1 ")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                                .toList());
                // And a plain read sees them too.
                assertThat(bucket.get("w.k0").orElseThrow().valueAsString()).isEqualTo("v" + (count - 1 - (count - 1) % 3));
            }
        }
    }

    private static void expectLine(ChildJvm child, String expected) throws InterruptedException {
        String line = child.nextLine(WAIT_SECONDS, TimeUnit.SECONDS);
        if (!expected.equals(line)) {
            fail("expected " + expected + " from the child, got " + line + child.stderrTail());
        }
    }

    private static long[] done(ChildJvm child) throws InterruptedException {
        String line = child.nextLine(WAIT_SECONDS * 2, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("DONE ")) {
            fail("expected DONE from the child, got " + line + child.stderrTail());
        }
        String[] p = line.split(" ");
        return new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT_SECONDS + " s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Records a watch's deliveries. */
    static final class Recorder implements WatchListener {
        final List<Entry> entries = new CopyOnWriteArrayList<>();
        final CountDownLatch caughtUp = new CountDownLatch(1);
        final AtomicReference<KvException> error = new AtomicReference<>();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile int caughtUpCalls;

        @Override
        public void onEntry(Entry entry) {
            entries.add(entry);
        }

        @Override
        public void onCaughtUp() {
            caughtUpCalls++;
            caughtUp.countDown();
        }

        @Override
        public void onError(KvException e) {
            error.set(e);
            ended.countDown();
        }

        @Override
        public void onEnd() {
            ended.countDown();
        }

        void awaitCaughtUp() throws InterruptedException {
            if (!caughtUp.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("the watch did not signal caught up within " + WAIT_SECONDS + " s");
            }
        }

        List<Entry> entries() {
            return List.copyOf(entries);
        }

        long lastRevision() {
            List<Entry> e = entries;
            return e.isEmpty() ? 0 : e.get(e.size() - 1).revision();
        }
    }
}
