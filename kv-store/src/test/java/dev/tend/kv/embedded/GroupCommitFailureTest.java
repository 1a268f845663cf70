package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit when the force fails: no write may be acknowledged unless its record was forced before the call
 * returned, whoever led the batch. Two writers queue up behind a third whose force is held; when it is let go, the
 * two (normally) share the next batch, and that batch's force fails. For every put that returned a revision the
 * test checks, from the log itself, that the record lies within what had been forced when the call returned; a
 * put that failed must not be what reads see.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class GroupCommitFailureTest {

    @TempDir
    Path tmp;

    /** NioStorageIo whose next force can be held at a gate, and the one after made to fail. */
    static final class GatedIo extends ForwardingStorageIo {
        volatile CountDownLatch entered;
        volatile CountDownLatch gate;
        volatile Throwable failNext;
        /** Per file, how many bytes a completed force has made durable. */
        final java.util.Map<Path, Long> forced = new java.util.concurrent.ConcurrentHashMap<>();

        long forced(Path p) {
            return forced.getOrDefault(p.toAbsolutePath().normalize(), 0L);
        }

        @Override
        public DataFile open(Path path, boolean write) throws IOException {
            DataFile d = super.open(path, write);
            return new ForwardingDataFile(d) {
                @Override
                public void force() throws IOException {
                    Throwable f = failNext;
                    if (f != null) {
                        failNext = null;
                        if (f instanceof IOException io) {
                            throw io;
                        }
                        if (f instanceof RuntimeException re) {
                            throw re;
                        }
                        throw (Error) f;
                    }
                    CountDownLatch g = gate;
                    if (g != null) {
                        gate = null;
                        entered.countDown();
                        try {
                            g.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    long size = d.size();
                    d.force();
                    forced.merge(path.toAbsolutePath().normalize(), size, Math::max);
                }
            };
        }
    }

    @Test
    void aForceFailingWithAnIoErrorAcknowledgesNoWriteOfTheBatch() throws Exception {
        assertNothingAcknowledged(new IOException("Input/output error"));
    }

    @Test
    void aForceFailingWithARuntimeExceptionAcknowledgesNoWriteOfTheBatch() throws Exception {
        assertNothingAcknowledged(new java.io.UncheckedIOException(new IOException("simulated")));
    }

    /** An Error (say an OutOfMemoryError) in the leader's force must not let the followers return success. */
    @Test
    void aForceFailingWithAnErrorAcknowledgesNoWriteOfTheBatch() throws Exception {
        assertNothingAcknowledged(new Error("simulated fatal error while forcing"));
    }

    /** A put's outcome: the revision (or -1) and how much of the log was forced when it returned. */
    record Outcome(String key, long revision, long forcedAtReturn, String error) {
    }

    private void assertNothingAcknowledged(Throwable failure) throws Exception {
        GatedIo io = new GatedIo();
        Path root = tmp.resolve("store");
        Path log = root.resolve("gc").resolve("log-1.tkv");
        List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        try (KvStore store = TestStores.open(root, io)) {
            Bucket b = store.create(BucketConfig.builder("gc").history(5).build());
            b.put("warm", "up");

            io.entered = new CountDownLatch(1);
            io.gate = new CountDownLatch(1);
            CountDownLatch release = io.gate;
            Thread first = writer(b, io, log, "first", outcomes);
            first.start();
            assertThat(io.entered.await(30, TimeUnit.SECONDS)).as("the first write reached its force").isTrue();

            Thread a = writer(b, io, log, "a", outcomes);
            Thread c = writer(b, io, log, "b", outcomes);
            a.start();
            c.start();
            // Both waiting behind the committer.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(parked(a) && parked(c))) {
                assertThat(System.nanoTime()).as("writers a and b queue up").isLessThan(deadline);
                Thread.sleep(1);
            }
            io.failNext = failure;
            release.countDown();
            first.join(30_000);
            a.join(30_000);
            c.join(30_000);
            System.out.println("GroupCommitFailureTest " + failure.getClass().getSimpleName() + ": " + outcomes);
            assertThat(outcomes).hasSize(3);
            assertThat(outcomes).as("one force failed").anyMatch(o -> o.revision() < 0);

            // Every acknowledged put's record had been forced when the call returned.
            java.util.Map<Long, Long> recordEnds = recordEnds(log);
            for (Outcome o : outcomes) {
                if (o.revision() > 0) {
                    assertThat(recordEnds).as("the log holds acknowledged %s", o).containsKey(o.revision());
                    assertThat(recordEnds.get(o.revision())).as("end of the record of acknowledged %s must lie within"
                            + " what was forced when the put returned", o).isLessThanOrEqualTo(o.forcedAtReturn());
                    assertThat(b.get(o.key()).orElseThrow().revision()).isEqualTo(o.revision());
                } else {
                    assertThat(b.get(o.key())).as("read of the refused write %s", o).isEmpty();
                }
            }
            // And the store goes on: the next write works and is readable.
            long next = b.put("after", "4");
            assertThat(b.get("after").orElseThrow().revision()).isEqualTo(next);
        }
    }

    private static Thread writer(Bucket b, GatedIo io, Path log, String key, List<Outcome> outcomes) {
        return new Thread(() -> {
            try {
                long rev = b.put(key, key);
                outcomes.add(new Outcome(key, rev, io.forced(log), null));
            } catch (Throwable t) {
                outcomes.add(new Outcome(key, -1, io.forced(log), t.toString()));
            }
        }, "writer-" + key);
    }

    /** Revision -> end offset of its record, read from the log file. */
    private static java.util.Map<Long, Long> recordEnds(Path log) throws IOException {
        java.util.Map<Long, Long> ends = new java.util.HashMap<>();
        try (DataFile f = new NioStorageIo().open(log, false)) {
            LogReader r = new LogReader(f, LogFormat.Header.read(f, log).length(), f.size());
            LogRecord rec;
            while ((rec = r.next()) != null) {
                ends.put(rec.revision(), rec.end());
            }
        }
        return ends;
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }
}
