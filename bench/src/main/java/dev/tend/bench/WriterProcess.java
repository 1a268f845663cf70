package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One of the writer processes of scenario 11 ({@link MultiProcessWrites}), run in a child JVM by {@link BenchChild}.
 * Every child warms up, prints {@code READY}, keeps warming up until the parent writes the start file (the
 * wall-clock start time, epoch milliseconds, the same for all children), then works from that moment for the
 * window and writes its result file: the operation count, then each operation's latency in microseconds.
 *
 * <ul>
 *   <li>{@code put}: durable puts to its own slice of the keys of one bucket, 128-byte values, the way scenario 3's
 *   threads put; {@code puts}: the same in several windows of one long-lived process ({@link #puts}).</li>
 *   <li>{@code probe}: the embedded engine's write path of one batch before the cross-process group commit, with raw
 *   file calls and each step timed: take byte 0 of {@code lock} exclusively, append a 150-byte record at the end of
 *   {@code log}, {@code force(false)}, write a byte to {@code notify}, release. Its result file holds, per operation,
 *   the wait for the lock, the write, the force, the notify write and the release, in nanoseconds.</li>
 *   <li>{@code handoff}: the hand-off pattern of {@link HandoffProbe} (a writer posts its record in a shared slot
 *   table; the holder of the round appends and forces every posted record at once). Its result file holds, per
 *   operation: the latency in nanoseconds, 1 when this process served it as holder, the rounds it served, their
 *   forces' nanoseconds, how many times it looked at its slot, and the writes its rounds served.</li>
 * </ul>
 */
final class WriterProcess {
    static final String READY = "READY";
    private static final int RECORD = 150;

    private WriterProcess() {
    }

    /** {@code put DIR BUCKET INDEX WRITERS START_FILE WINDOW_MS RESULT}. */
    static void put(Path dir, String bucketName, int index, int writers, Path startFile, long windowMillis,
                    Path result) throws IOException {
        try (KvStore store = Support.openStore(dir, Durability.DURABLE)) {
            Putter putter = Putter.ready(store.bucket(bucketName), index, writers);
            long start = awaitStart(startFile, () -> {
                // Warm-up continues until the parent starts everybody at once.
                putter.bucket.put(putter.keys[0], Support.value(0));
            });
            putter.window(start, windowMillis, result);
        }
    }

    /**
     * {@code puts DIR BUCKET INDEX WRITERS CONTROL_DIR WINDOW_MS}: a long-lived writer of scenario 11, measured in
     * several windows. After {@code READY}, before window {@code n} (from 1): while {@code CONTROL_DIR/warm} exists it
     * puts (warming up), else it idles, looking every {@value #IDLE_LOOK_MILLIS} ms, until {@code CONTROL_DIR/go-n}
     * holds the window's start time (epoch milliseconds); it puts until just before that time (the parent gives
     * {@link WriterFleet#REWARM_MILLIS} of notice), then puts for the window and writes
     * {@code CONTROL_DIR/result-n-INDEX} and its CPU beside it. {@code CONTROL_DIR/stop} ends it.
     */
    static void puts(Path dir, String bucketName, int index, int writers, Path control, long windowMillis)
            throws IOException {
        Path warm = control.resolve("warm");
        Path stop = control.resolve("stop");
        try (KvStore store = Support.openStore(dir, Durability.DURABLE)) {
            Putter putter = Putter.ready(store.bucket(bucketName), index, writers);
            for (int n = 1; ; n++) {
                Path go = control.resolve("go-" + n);
                while (!Files.exists(go)) {
                    if (Files.exists(stop)) {
                        return;
                    }
                    if (Files.exists(warm)) {
                        putter.putNext();
                    } else {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_LOOK_MILLIS));
                    }
                }
                // Puts until just before the start, so every window begins with writers in their working state.
                long startMillis = Long.parseLong(Files.readString(go).trim());
                while (System.currentTimeMillis() < startMillis - REWARM_MARGIN_MILLIS) {
                    putter.putNext();
                }
                putter.window(awaitStart(go, () -> { }), windowMillis, control.resolve("result-" + n + "-" + index));
            }
        }
    }

    /** One writer's puts: its own slice of the keys, 128-byte values, each a new stamp. */
    private static final class Putter {
        final Bucket bucket;
        final String[] keys;
        private long stamp;
        private int next;

        private Putter(Bucket bucket, String[] keys, long stamp) {
            this.bucket = bucket;
            this.keys = keys;
            this.stamp = stamp;
        }

        /** Warms up with 300 puts, starts the platform MXBeans and prints {@code READY}. */
        static Putter ready(Bucket bucket, int index, int writers) throws IOException {
            String[] all = Support.keys(Support.KEYS);
            int slice = all.length / writers;
            Putter p = new Putter(bucket, Arrays.copyOfRange(all, index * slice, (index + 1) * slice),
                    (long) index << 40);
            for (int i = 0; i < 300; i++) {
                p.putNext();
            }
            // The platform MXBeans start on the first call (tens of milliseconds): before the window, not in it.
            ProcessCpu.now();
            System.out.println(READY);
            System.out.flush();
            return p;
        }

        void putNext() {
            bucket.put(keys[next++ % keys.length], Support.value(stamp++));
        }

        /** Puts from {@code start} (nanoTime) for the window; writes each put's latency and the CPU to result. */
        void window(long start, long windowMillis, Path result) throws IOException {
            long end = start + TimeUnit.MILLISECONDS.toNanos(windowMillis);
            long[] latencies = new long[1 << 16];
            int ops = 0;
            next = 0;
            ProcessCpu cpu0 = ProcessCpu.now();
            long now;
            while ((now = System.nanoTime()) < end) {
                putNext();
                if (ops == latencies.length) {
                    latencies = Arrays.copyOf(latencies, ops * 2);
                }
                latencies[ops++] = (System.nanoTime() - now) / 1_000;
            }
            ProcessCpu cpu = ProcessCpu.now().minus(cpu0);
            writeResult(result, new long[][] {Arrays.copyOf(latencies, ops)});
            cpu.write(result);
        }
    }

    /** How often an idle long-lived writer looks for its next window. */
    private static final long IDLE_LOOK_MILLIS = 5;
    /** A long-lived writer stops putting this long before a window's start, so all start from the same point. */
    private static final long REWARM_MARGIN_MILLIS = 100;

    /** {@code handoff DIR INDEX MAX_ROUNDS START_FILE WINDOW_MS RESULT}: see the class comment. */
    static void handoff(Path dir, int index, int maxRounds, Path startFile, long windowMillis, Path result)
            throws IOException {
        long[][] series = new long[6][1 << 14];
        int ops = 0;
        ProcessCpu cpu;
        try (HandoffProbe probe = new HandoffProbe(dir, index, maxRounds)) {
            ByteBuffer record = ByteBuffer.allocate(RECORD);
            for (int i = 0; i < 200; i++) {
                probe.write(record.clear());
            }
            // The platform MXBeans start on the first call (tens of milliseconds): before the window, not in it.
            ProcessCpu.now();
            System.out.println(READY);
            System.out.flush();
            long start = awaitStart(startFile, () -> probe.write(record.clear()));
            long end = start + TimeUnit.MILLISECONDS.toNanos(windowMillis);
            ProcessCpu cpu0 = ProcessCpu.now();
            long now;
            while ((now = System.nanoTime()) < end) {
                probe.write(record.clear());
                if (ops == series[0].length) {
                    for (int s = 0; s < series.length; s++) {
                        series[s] = Arrays.copyOf(series[s], ops * 2);
                    }
                }
                series[0][ops] = System.nanoTime() - now;
                series[1][ops] = probe.heldLast ? 1 : 0;
                series[2][ops] = probe.rounds;
                series[3][ops] = probe.forceNanos;
                series[4][ops] = probe.turns;
                series[5][ops] = probe.roundWrites;
                ops++;
            }
            cpu = ProcessCpu.now().minus(cpu0);
        }
        long[][] out = new long[series.length][];
        for (int s = 0; s < series.length; s++) {
            out[s] = Arrays.copyOf(series[s], ops);
        }
        writeResult(result, out);
        cpu.write(result);
    }

    /** {@code probe DIR START_FILE WINDOW_MS RESULT}: see the class comment. */
    static void probe(Path dir, Path startFile, long windowMillis, Path result) throws IOException {
        long[][] steps = new long[5][1 << 14];
        int ops = 0;
        ProcessCpu cpu;
        try (FileChannel lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel log = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE,
                     StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel notify = FileChannel.open(dir.resolve("notify"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocate(RECORD);
            ByteBuffer one = ByteBuffer.allocate(1);
            long[] t = new long[6];
            for (int i = 0; i < 200; i++) {
                probeOnce(lock, log, notify, record, one, t);
            }
            // The platform MXBeans start on the first call (tens of milliseconds): before the window, not in it.
            ProcessCpu.now();
            System.out.println(READY);
            System.out.flush();
            long start = awaitStart(startFile, () -> probeOnce(lock, log, notify, record, one, t));
            long end = start + TimeUnit.MILLISECONDS.toNanos(windowMillis);
            ProcessCpu cpu0 = ProcessCpu.now();
            while (System.nanoTime() < end) {
                probeOnce(lock, log, notify, record, one, t);
                if (ops == steps[0].length) {
                    for (int s = 0; s < steps.length; s++) {
                        steps[s] = Arrays.copyOf(steps[s], ops * 2);
                    }
                }
                for (int s = 0; s < steps.length; s++) {
                    steps[s][ops] = t[s + 1] - t[s];
                }
                ops++;
            }
            cpu = ProcessCpu.now().minus(cpu0);
        }
        long[][] out = new long[steps.length][];
        for (int s = 0; s < steps.length; s++) {
            out[s] = Arrays.copyOf(steps[s], ops);
        }
        writeResult(result, out);
        cpu.write(result);
    }

    private static void probeOnce(FileChannel lock, FileChannel log, FileChannel notify, ByteBuffer record,
                                  ByteBuffer one, long[] t) throws IOException {
        t[0] = System.nanoTime();
        FileLock l = lock.lock(0, 1, false);
        t[1] = System.nanoTime();
        record.clear();
        long at = log.size();
        while (record.hasRemaining()) {
            at += log.write(record, at);
        }
        t[2] = System.nanoTime();
        log.force(false);
        t[3] = System.nanoTime();
        one.clear();
        notify.write(one, 0);
        t[4] = System.nanoTime();
        l.release();
        t[5] = System.nanoTime();
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs {@code warm} until the start file appears, then sleeps until its time; returns it on the nano clock. */
    private static long awaitStart(Path startFile, Step warm) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(startFile)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no start file " + startFile + " after 5 minutes");
            }
            warm.run();
            LockSupport.parkNanos(2_000_000);
        }
        long startMillis = Long.parseLong(Files.readString(startFile).trim());
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(startMillis - System.currentTimeMillis());
        long start = System.nanoTime() + Math.max(0, waitNanos);
        while (System.nanoTime() < start) {
            LockSupport.parkNanos(Math.max(1_000, (start - System.nanoTime()) / 2));
        }
        return start;
    }

    private static void writeResult(Path result, long[][] series) throws IOException {
        Path tmp = result.resolveSibling(result.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(tmp)))) {
            out.writeInt(series.length);
            out.writeInt(series[0].length);
            for (long[] s : series) {
                for (long x : s) {
                    out.writeLong(x);
                }
            }
        }
        Files.move(tmp, result);
    }

    /** What {@link #writeResult} wrote: {@code [series][operation]}. */
    static long[][] readResult(Path result) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(result)))) {
            int n = in.readInt();
            int ops = in.readInt();
            long[][] series = new long[n][ops];
            for (long[] s : series) {
                for (int i = 0; i < ops; i++) {
                    s[i] = in.readLong();
                }
            }
            return series;
        }
    }
}
