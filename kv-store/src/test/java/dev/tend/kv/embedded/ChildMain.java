package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.WrongRevisionException;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The program the multi-process tests run in child JVMs (see {@link ChildJvm}). It talks to the parent through
 * stdout lines, each flushed at once:
 * <ul>
 *   <li>{@code writer DIR BUCKET RUN THREADS [HUGE_BUCKET]}: puts self-checking values ({@link CrashValues}) in a
 *   loop until killed, THREADS threads on {@link #WRITER_KEYS} of BUCKET and, with HUGE_BUCKET, one more thread
 *   putting values of 0.5 to 1.5 MB (a kill then often lands inside a write) to {@link #HUGE_KEYS}; prints
 *   {@code ACK bucket revision key run seq sha256} after each put has returned, and {@code BEGIN bucket key run
 *   seq} just before each huge put starts.</li>
 *   <li>{@code multi DIR BUCKET WRITER RUN [kept|oneshot|direct]}: one of several writer processes on one bucket: puts
 *   self-checking values, each to a key of its own ({@link #multiKey}), in a loop until killed; prints {@code ACK
 *   writer run seq revision} after each put has returned. With {@code oneshot}, each put opens a store of its own
 *   and closes it, as a {@code tend kv put} does, so it is made without the index ({@link PointWrite}); with
 *   {@code direct}, the store is kept open but never hands writes off ({@link Handoff}): every batch takes the file
 *   lock itself, as builds without the hand-off do. Otherwise ({@code kept}) the store is kept open, loads the
 *   index before READY, and hands off its small writes.</li>
 *   <li>{@code cas DIR BUCKET KEY COUNT}: after {@code GO} on stdin, increments the decimal counter in KEY COUNT
 *   times with get + update(expected revision), retrying on a wrong revision; prints
 *   {@code DONE successes retries}.</li>
 *   <li>{@code puts DIR BUCKET COUNT}: after {@code GO} on stdin, puts {@code v<i>} to key {@code w.k<i%3>};
 *   prints {@code ACK revision key value} after each.</li>
 *   <li>{@code compacting DIR BUCKET}: holds BUCKET's compaction lock with a compaction's temporary file of 1 KiB
 *   written, as a compaction running in this process would; prints {@code COMPACTING path} and releases it (deleting
 *   the file) after {@code GO} on stdin.</li>
 *   <li>{@code force-lock LOCK_FILE exclusive|shared}: holds byte 3 of LOCK_FILE (a bucket's force lock) as asked,
 *   with a plain {@code FileChannel} lock, as a writer forcing the log (exclusive) or waiting for a force (shared)
 *   in another process would; prints {@code HOLDING} and releases it after {@code GO} on stdin.</li>
 *   <li>{@code lock-byte FILE POSITION}: holds that byte of FILE exclusively; prints {@code HOLDING} and releases it
 *   after {@code GO}. {@code probe-byte FILE POSITION}: prints {@code HELD} or {@code FREE} (whether another
 *   process holds it) and exits.</li>
 *   <li>{@code slot-post BUCKET_DIR KEY VALUE}: a hand-off requester whose pid cannot be seen (see
 *   {@link #slotPost}).</li>
 * </ul>
 * Every mode first prints {@code READY} once the store (or the file) is open. On an error it prints
 * {@code ERROR message} and exits with 2.
 */
public final class ChildMain {
    /** The keys of the writer mode; big ones (about 50 KB) make a kill land mid-write more often. */
    static final List<String> WRITER_KEYS = List.of("small.a", "big.b", "mid.c", "small.d", "big.e", "mid.f");
    /** The keys of the huge values. */
    static final List<String> HUGE_KEYS = List.of("huge.x", "huge.y");

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
            StandardCharsets.UTF_8);

    private ChildMain() {
    }

    public static void main(String[] args) {
        OrphanExit.watch();
        try {
            switch (args[0]) {
                case "writer" -> writer(Path.of(args[1]), args[2], Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]), args.length > 5 ? args[5] : null);
                case "multi" -> multi(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        args.length > 5 ? args[5] : "kept");
                case "cas" -> cas(Path.of(args[1]), args[2], args[3], Integer.parseInt(args[4]));
                case "puts" -> puts(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
                case "compacting" -> compacting(Path.of(args[1]), args[2]);
                case "force-lock" -> forceLock(Path.of(args[1]), args[2].equals("shared"));
                case "lock-byte" -> lockByte(Path.of(args[1]), Long.parseLong(args[2]));
                case "probe-byte" -> probeByte(Path.of(args[1]), Long.parseLong(args[2]));
                case "slot-post" -> slotPost(Path.of(args[1]), args[2], args[3]);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable t) {
            t.printStackTrace();
            say("ERROR " + String.valueOf(t).replace('\n', ' '));
            System.exit(2);
        }
        System.exit(0);
    }

    static void say(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    static KvStore open(Path dir) {
        return KvStore.builder().directory(dir).build();
    }

    private static void writer(Path dir, String bucketName, int run, int threads, String hugeBucket)
            throws Exception {
        KvStore store = open(dir);
        say("READY");
        List<Thread> workers = new ArrayList<>();
        int all = threads + (hugeBucket == null ? 0 : 1);
        for (int t = 0; t < all; t++) {
            int me = t;
            boolean huge = t == threads;
            Bucket bucket = store.bucket(huge ? hugeBucket : bucketName);
            Thread w = new Thread(() -> {
                List<String> mine = new ArrayList<>();
                if (huge) {
                    mine.addAll(HUGE_KEYS);
                }
                for (int i = 0; i < WRITER_KEYS.size() && !huge; i++) {
                    if (i % threads == me) {
                        mine.add(WRITER_KEYS.get(i));
                    }
                }
                long[] seq = new long[mine.size()];
                Random rnd = new Random(run * 1_000L + me);
                try {
                    while (true) {
                        int k = rnd.nextInt(mine.size());
                        String key = mine.get(k);
                        long s = ++seq[k];
                        byte[] value = CrashValues.make(key, run, s);
                        String sha = CrashValues.sha256(value);
                        if (huge) {
                            say("BEGIN " + bucket.name() + " " + key + " " + run + " " + s);
                        }
                        long rev = bucket.put(key, value);
                        say("ACK " + bucket.name() + " " + rev + " " + key + " " + run + " " + s + " " + sha);
                    }
                } catch (Throwable e) {
                    e.printStackTrace();
                    say("ERROR " + String.valueOf(e).replace('\n', ' '));
                    System.exit(2);
                }
            }, "writer-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    /** The key of writer {@code writer}'s {@code seq}-th put in run {@code run}: every third about 50 KB. */
    static String multiKey(int writer, int run, long seq) {
        return (seq % 3 == 0 ? "big" : "small") + ".w" + writer + ".r" + run + ".s" + seq;
    }

    private static void multi(Path dir, String bucketName, int writer, int run, String how) {
        boolean oneShot = how.equals("oneshot");
        // "direct" writes as a build without the hand-off does (every batch through the file lock); the others hand
        // off, the default.
        if (how.equals("direct")) {
            System.setProperty("tend.kv.handoff", "false");
        }
        KvStore store = oneShot ? null : open(dir);
        Bucket bucket = oneShot ? null : store.bucket(bucketName);
        if (bucket != null) {
            // Loads the index (point reads make way for it after a few), so that writes are handed off from the first.
            for (int i = 0; i <= BucketEngine.POINT_READS_BEFORE_INDEX; i++) {
                bucket.get("warm.up");
            }
        }
        say("READY");
        for (long seq = 1; ; seq++) {
            String key = multiKey(writer, run, seq);
            long rev;
            if (oneShot) {
                try (KvStore s = open(dir)) {
                    rev = s.bucket(bucketName).put(key, CrashValues.make(key, run, seq));
                }
            } else {
                rev = bucket.put(key, CrashValues.make(key, run, seq));
            }
            say("ACK " + writer + " " + run + " " + seq + " " + rev);
        }
    }

    private static void cas(Path dir, String bucketName, String key, int count) throws Exception {
        try (KvStore store = open(dir)) {
            Bucket bucket = store.bucket(bucketName);
            say("READY");
            awaitGo();
            long successes = 0;
            long retries = 0;
            while (successes < count) {
                Optional<Entry> cur = bucket.get(key);
                long expected = cur.map(Entry::revision).orElse(0L);
                long value = cur.map(e -> Long.parseLong(e.valueAsString())).orElse(0L);
                // A key with history has a value. Asked in that order: the other child may create the counter
                // between this get and the history (its write is appended, then forced, then visible).
                if (cur.isEmpty() && !bucket.history(key).isEmpty() && bucket.get(key).isEmpty()) {
                    throw new IllegalStateException("counter " + key + " has history but no value");
                }
                try {
                    bucket.update(key, Long.toString(value + 1).getBytes(StandardCharsets.UTF_8), expected);
                    successes++;
                } catch (WrongRevisionException e) {
                    retries++;
                }
            }
            say("DONE " + successes + " " + retries);
        }
    }

    private static void puts(Path dir, String bucketName, int count) throws Exception {
        try (KvStore store = open(dir)) {
            Bucket bucket = store.bucket(bucketName);
            say("READY");
            awaitGo();
            for (int i = 0; i < count; i++) {
                String key = "w.k" + (i % 3);
                String value = "v" + i;
                long rev = bucket.put(key, value);
                say("ACK " + rev + " " + key + " " + value);
            }
            say("DONE");
        }
    }

    private static void compacting(Path dir, String bucketName) throws Exception {
        try (EmbeddedKvStore store = (EmbeddedKvStore) open(dir)) {
            say("READY");
            BucketEngine engine = store.engine(bucketName);
            engine.bucketLock.lockCompaction(true);
            try {
                Path tmp = engine.dir.resolve("log-" + (engine.view.generation().number() + 1) + ".tkv.tmp");
                java.nio.file.Files.write(tmp, new byte[1024]);
                say("COMPACTING " + tmp);
                awaitGo();
                java.nio.file.Files.delete(tmp);
            } finally {
                engine.bucketLock.unlockCompaction();
            }
        }
    }

    private static void forceLock(Path lockFile, boolean shared) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            say("READY");
            java.nio.channels.FileLock l = ch.lock(3, 1, shared);
            say("HOLDING");
            awaitGo();
            l.release();
        }
    }

    private static void lockByte(Path file, long position) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.CREATE)) {
            say("READY");
            java.nio.channels.FileLock l = ch.lock(position, 1, false);
            say("HOLDING");
            awaitGo();
            l.release();
        }
    }

    private static void probeByte(Path file, long position) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            say("READY");
            java.nio.channels.FileLock l = ch.tryLock(position, 1, false);
            say(l == null ? "HELD" : "FREE");
        }
    }

    /**
     * Claims a slot of the bucket directory's hand-off table as a requester does, then writes a dead process's pid
     * over its owner word (as a process whose pid cannot be seen from another pid namespace would look), posts a put
     * of KEY=VALUE, prints {@code POSTED slot}; after {@code GO}, prints {@code STATE state outcome-or-none}.
     */
    private static void slotPost(Path bucketDir, String key, String value) throws Exception {
        try (SlotTable t = SlotTable.open(bucketDir, dev.tend.kv.support.FileModes.OWNER)) {
            say("READY");
            long token = SlotTable.newToken();
            int slot = t.claim(token);
            t.set(slot, SlotTable.OWNER, (1L << 32) | 0x7ffffff0L);
            List<WriteRequest> batch = List.of(new WriteRequest(dev.tend.kv.Operation.PUT, key,
                    value.getBytes(StandardCharsets.UTF_8), WriteRequest.Check.NONE, 0));
            int n = SlotCodec.encodeRequests(t.body(slot), batch);
            t.setInt(slot, SlotTable.COUNT, 1);
            t.setInt(slot, SlotTable.REQUEST_BYTES, n);
            t.set(slot, SlotTable.STATE, SlotTable.POSTED);
            say("POSTED " + slot);
            awaitGo();
            long state = t.get(slot, SlotTable.STATE);
            String outcome = "none";
            if (state == SlotTable.DONE) {
                SlotCodec.readOutcomes(t.body(slot), n, batch, "b");
                outcome = Long.toString(batch.get(0).outcome());
            }
            say("STATE " + state + " " + outcome);
        }
    }

    private static void awaitGo() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (!"GO".equals(line)) {
            throw new IllegalStateException("expected GO on stdin, got " + line);
        }
    }
}
