package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketFullException;
import dev.tend.kv.Entry;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.KvException;
import dev.tend.kv.Names;
import dev.tend.kv.Operation;
import dev.tend.kv.StoreException;
import dev.tend.kv.ValueTooLargeException;
import dev.tend.kv.WrongRevisionException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes to the bucket's log, in batches: the committer of the bucket's {@link GroupCommit}, and one side of the
 * cross-process group commit (docs/embedded-engine.md, Writing).
 *
 * <p>Appending, under the file lock: catch up with the files; fork the index for the batch's keys and apply to the
 * fork the records other processes appended that are still waiting for their force (between the committed length
 * and the head's appended mark); validate each request against the fork; count the batch as pending
 * ({@link BucketLock#beginPending}, until it is published or has failed); encode the batch and append it after
 * those records with one write; raise the appended mark. Then the file lock is released: the batch is written, not yet
 * durable, and no reader sees it.
 *
 * <p>Completing, with no lock readers or other writers need: in durable mode, wait until the log is forced past the
 * batch. The head's forced mark says how far it is; when it is short and another process is forcing, wait for that
 * force (the force lock shared: every waiter wakes when it ends) and look again; when no one is, take the force lock,
 * look again, and otherwise force once for everything appended so far, by any process, and raise the mark. Then
 * raise the published mark (the committed length readers read up to), apply the log up to the batch's end to this
 * process's index (microseconds under the view's write lock), and give each request its revision. A failed write
 * cuts the batch off; a failed force cuts the log back to the forced mark, which fails every batch waiting beyond
 * it, in every process.
 *
 * <p>A process that has not loaded the index validates against the batch's keys read from the snapshot and the log
 * instead ({@link PointWrite}: the same checks, revisions and times as the fork would give); when only the index can
 * validate the batch, nothing is written and the engine makes the writes again after loading it. Completing is the
 * same, without an index to apply the batch to.
 *
 * <p>The engine creates its writer on the first write, so a process that only reads never loads it.
 */
final class BatchWriter {
    private static final LazyLogger LOG = new LazyLogger(BatchWriter.class);

    private final BucketEngine engine;
    private final LogView view;
    /* A method reference is no cost here: the writer is made on the first write, which needs lambdas anyway. */
    private final GroupCommit groupCommit = new GroupCommit(this::append);

    /**
     * A batch appended and waiting for its force: the generation it went to, where it lies, what it wrote (to tell
     * whether a cut took it), the cut count when it was appended, and each request's revision.
     */
    private record Appended(List<WriteRequest> batch, Generation gen, long start, long end, ByteBuffer bytes,
                            long cuts, long[] revisions) {
    }

    /** What a round of the hand-off records before its append ({@link Handoff#recordClaims}). */
    interface BeforeAppend {
        void before(List<WriteRequest> batch, long g, long[] revisions, long[] offsets, long[] created,
                    int[] lengths);
    }

    /**
     * The bucket's hand-off of writes between processes, opened on the first write that can use it; null before,
     * or when it cannot be opened. Guarded by the group commit's lock.
     */
    private Handoff handoff;
    private boolean handoffTried;

    BatchWriter(BucketEngine engine) {
        this.engine = engine;
        this.view = engine.view;
    }

    /**
     * The hand-off, when this write can use it: durable mode, the index loaded (a holder validates with it; a process
     * without it, a one-shot command, writes directly and never maps the slot table), and not switched off with
     * {@code -Dtend.kv.handoff=false} (docs/embedded-engine.md, "The hand-off").
     */
    private Handoff handoff() {
        if (!engine.store.durable() || !engine.hasIndex()) {
            return null;
        }
        if (!handoffTried) {
            handoffTried = true;
            if (!"false".equals(System.getProperty("tend.kv.handoff"))) {
                handoff = Handoff.open(engine, this);
            }
        }
        return handoff;
    }

    /** Closes the hand-off's table, giving this instance's slot back. */
    void close() {
        if (handoff != null) {
            BucketEngine.closeQuietly(handoff);
        }
    }

    /** Queues a write and waits until it is committed (durable, in durable mode) or refused. */
    long submit(WriteRequest r) {
        return groupCommit.submit(r);
    }

    /**
     * Appends one batch under the file lock; returns its completion, or null when every request already has its
     * outcome (all refused, or the write failed). The group commit's lock is held.
     */
    private Runnable append(List<WriteRequest> batch) {
        engine.store.stats().batch(batch.size());
        Appended[] appended = new Appended[1];
        try {
            List<WriteRequest> direct = batch;
            Handoff h = handoff();
            if (h != null) {
                List<WriteRequest> rest = h.submit(batch);
                if (rest != null) {
                    engine.signalWatches();
                    engine.afterWrite();
                    if (rest.isEmpty()) {
                        return null;
                    }
                    direct = rest;
                }
            }
            // Every batch: a write appended to the files of a removed directory would be acknowledged and lost. One
            // stat, made before the file lock so that the other processes' appends do not wait for it. (A holder of
            // the hand-off makes it before its round.)
            engine.identity.check();
            List<WriteRequest> d = direct;
            // With the interrupt status cleared for the whole write (as the hand-off does): the JDK closes a channel
            // an interrupted thread uses, the shared lock file's with every lock of this process on it (LockFiles).
            LockFiles.uninterrupted(() -> {
                engine.bucketLock.runExclusive(() -> appended[0] = appendBatch(d, null));
                return null;
            });
        } catch (KvException e) {
            failRemaining(batch, e);
        } catch (IOException e) {
            failRemaining(batch, engine.ioFailure("write", e));
        } catch (RuntimeException | Error e) {
            LOG.get().error("bucket {}: unexpected failure while committing", engine.name, e);
            failRemaining(batch, new StoreException("bucket " + engine.name + ": write failed: " + e));
            if (e instanceof Error err) {
                throw err;
            }
        }
        Appended a = appended[0];
        return a == null ? null : () -> complete(a);
    }

    private static void failRemaining(List<WriteRequest> batch, KvException e) {
        for (WriteRequest r : batch) {
            if (!r.isDone()) {
                r.fail(e);
            }
        }
    }

    /**
     * Validates and appends one batch; the file lock is held, so this process is the only one appending. Null when
     * nothing was written (every request refused, or the write failed and was cut off).
     */
    private Appended appendBatch(List<WriteRequest> batch, BeforeAppend hook) throws IOException {
        if (!engine.hasIndex()) {
            return appendWithoutIndex(batch);
        }
        return appendBatch(batch, hook, engine.recovery().syncForWrite());
    }

    /** {@link #appendBatch} with the files caught up already: {@code h} is what {@link Recovery#syncForWrite} gave. */
    private Appended appendBatch(List<WriteRequest> batch, BeforeAppend hook, HeadFile.State h) throws IOException {
        List<LogRecord> waiting = waitingRecords(view.generation(), h.length(), h.appended());
        if (waiting == null) {
            // Not intact (after a power loss the head may name bytes the log lost): the repair sorts it out.
            engine.recovery().syncLockedUnderWriteLock();
            waiting = List.of();
            h = new HeadFile.State(view.generation().number(), view.length(), false, view.length());
        }
        // Under the file lock the generation cannot change: the one taken here is the one written to.
        Generation gen = view.generation();
        BucketConfig c = gen.config();
        long now = engine.store.nowNanos();
        if (c.hasTtl() && c.maxBucketSize() != BucketConfig.UNLIMITED) {
            // Expired entries must not count against the size limit (JetStream drops them on its own timer).
            view.expire(engine.store.nowNanos() - c.ttl().toNanos());
        }
        long start = h.appended();
        Set<String> keys = new HashSet<>();
        batch.forEach(r -> keys.add(r.key));
        waiting.forEach(r -> keys.add(r.key()));
        KeyIndex fork;
        view.readLock().lock();
        try {
            fork = view.index().fork(keys);
        } finally {
            view.readLock().unlock();
        }
        for (LogRecord r : waiting) {
            fork.apply(r, c.history());
        }
        if (c.hasTtl()) {
            fork.expire(now - c.ttl().toNanos());
        }
        return appendValidated(batch, gen, start, fork, now, hook);
    }

    /**
     * {@link #appendBatch} in a process that has not loaded the index: validates against the batch's keys read from
     * the snapshot and the log ({@link PointWrite}); when only the index can, writes nothing and fails the batch with
     * {@link IndexNeededException}, and the engine makes each write again after loading the index.
     */
    private Appended appendWithoutIndex(List<WriteRequest> batch) throws IOException {
        Set<String> keys = new HashSet<>();
        batch.forEach(r -> keys.add(r.key));
        PointWrite.Start p = PointWrite.start(engine, keys);
        if (p == null) {
            failRemaining(batch, new IndexNeededException(engine.name));
            return null;
        }
        long now = engine.store.nowNanos();
        BucketConfig c = p.gen().config();
        if (c.hasTtl()) {
            p.fork().expire(now - c.ttl().toNanos());
        }
        return appendValidated(batch, p.gen(), p.at(), p.fork(), now, null);
    }

    /**
     * Validates each request of the batch in order against {@code fork} (the batch's keys and the bucket's counters,
     * applying each accepted request to it), encodes the accepted ones and appends them to {@code gen}'s log at
     * {@code start}, then raises the appended mark. The file lock is held. Null when nothing was written.
     */
    private Appended appendValidated(List<WriteRequest> batch, Generation gen, long start, KeyIndex fork, long now,
                                     BeforeAppend hook) throws IOException {
        BucketConfig c = gen.config();
        long total = 0;
        for (WriteRequest r : batch) {
            total += LogFormat.recordLength(r.key.length(), r.value.length);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(total, Integer.MAX_VALUE - 16));
        long[] revisions = new long[batch.size()];
        long[] offsets = hook == null ? null : new long[batch.size()];
        long[] createdAt = hook == null ? null : new long[batch.size()];
        int[] lengths = hook == null ? null : new int[batch.size()];
        long pos = start;
        for (int k = 0; k < batch.size(); k++) {
            WriteRequest r = batch.get(k);
            try {
                int len = validate(r, c, fork);
                if (buf.remaining() < len) {
                    throw new ValueTooLargeException("a batch of writes larger than 2 GiB cannot be stored");
                }
                revisions[k] = fork.lastRevision() + 1;
                long created = Math.max(now, fork.lastCreated());
                LogFormat.encode(buf, r.op, revisions[k], created, r.key, r.value);
                fork.apply(r.key, r.op, revisions[k], pos, created, r.value.length, c.history());
                if (hook != null) {
                    offsets[k] = pos;
                    createdAt[k] = created;
                    lengths[k] = len;
                }
                pos += len;
            } catch (KvException e) {
                r.fail(e);
            }
        }
        buf.flip();
        if (!buf.hasRemaining()) {
            return null;
        }
        // Pending from before its bytes are in the log until it is published or has failed: a holder of the file
        // lock then tells it from a dead writer's orphan (BucketLock.pendingBatchesLive).
        engine.bucketLock.beginPending();
        boolean handedOver = false;
        try {
            if (hook != null) {
                hook.before(batch, gen.number(), revisions, offsets, createdAt, lengths);
            }
            try {
                gen.log().write(buf.duplicate(), start);
            } catch (IOException e) {
                rollback(gen, start, batch, e);
                return null;
            } catch (RuntimeException | Error e) {
                rollback(gen, start, batch, new IOException(e.toString(), e));
                throw e;
            }
            // Under the file lock: the records before the mark are complete, which is what a force started later
            // covers.
            engine.head.raise(HeadFile.APPENDED_AT, gen.number(), pos, true);
            Appended a = new Appended(batch, gen, start, pos, buf, engine.head.word(HeadFile.CUTS_AT), revisions);
            handedOver = true;
            return a;
        } finally {
            if (!handedOver) {
                engine.bucketLock.endPending();
            }
        }
    }

    /**
     * A round of the hand-off, under the file lock ({@link Handoff}): appends every claimed request not yet refused
     * (validated as a batch of this process is), the claims recorded before the append; forces the log once for
     * everything appended so far, by any process; raises the forced and published marks; applies the log to this
     * process's index; gives each request its revision. A failed force cuts the log back to the forced mark (as a
     * direct writer's does) and fails the round's requests. Returns how far the log of the open generation is known
     * forced. {@code h} is the head as the round's catch-up ({@link Recovery#syncForWrite}) left it.
     */
    long serveRound(List<Handoff.Claim> claims, Handoff handoff, HeadFile.State h) throws IOException {
        List<WriteRequest> batch = new ArrayList<>();
        for (Handoff.Claim c : claims) {
            if (!c.settled()) {
                for (WriteRequest r : c.requests()) {
                    if (!r.isDone()) {
                        batch.add(r);
                    }
                }
            }
        }
        Appended a = batch.isEmpty() ? null : appendBatch(batch,
                (b, g, revisions, offsets, created, lengths) -> handoff.recordClaims(claims, b, g, revisions,
                        offsets, created, lengths), h);
        try {
            Generation gen = view.generation();
            long g = gen.number();
            long appended = HeadFile.lengthIn(engine.head.word(HeadFile.APPENDED_AT), g);
            long forced = HeadFile.lengthIn(engine.head.word(HeadFile.FORCED_AT), g);
            if (appended > forced) {
                try {
                    gen.log().force();
                    engine.store.stats().forced();
                } catch (IOException | RuntimeException e) {
                    cutUnforcedLocked(gen);
                    if (a != null) {
                        failRemaining(a.batch(), engine.ioFailure("write",
                                e instanceof IOException io ? io : new IOException(e.toString(), e)));
                    }
                    return HeadFile.lengthIn(engine.head.word(HeadFile.FORCED_AT), g);
                }
                engine.head.raise(HeadFile.FORCED_AT, g, appended, false);
            }
            engine.head.raise(HeadFile.PUBLISHED_AT, g, appended, false);
            view.writeLock().lock();
            try {
                if (view.index() != null && view.generation() == gen) {
                    view.replayTo(appended);
                }
            } finally {
                view.writeLock().unlock();
            }
            if (a != null) {
                for (int k = 0; k < a.batch().size(); k++) {
                    WriteRequest r = a.batch().get(k);
                    if (!r.isDone()) {
                        r.succeed(a.revisions()[k]);
                    }
                }
            }
            engine.notify.poke();
            return appended;
        } finally {
            if (a != null) {
                endPending();
            }
        }
    }

    /**
     * How many of a dead holder's accepted records of one claim are in the log, in order ({@code accepted}: each
     * request's index and revision; the first record at {@code offset} with time {@code created}, the last ending at
     * {@code end}, in generation {@code g}; each with the request's operation, key and value); -1 when that cannot
     * be told (another generation, whose index no longer holds a record that may have been written). The file lock
     * is held and the files are caught up.
     */
    int claimInLog(long g, long offset, long end, long created, List<WriteRequest> requests, List<long[]> accepted)
            throws IOException {
        Generation gen = view.generation();
        int found = 0;
        if (gen.number() == g) {
            LogReader r = new LogReader(gen.log(), offset, Math.min(end, gen.log().size()));
            for (long[] a : accepted) {
                LogRecord rec = r.next();
                WriteRequest w = requests.get((int) a[0]);
                if (rec == null || rec.revision() != a[1] || rec.op() != w.op || !rec.key().equals(w.key)
                        || !java.util.Arrays.equals(rec.value(), w.value)
                        || (found == 0 && rec.createdNanos() != created)) {
                    break;
                }
                found++;
            }
            return found;
        }
        view.readLock().lock();
        try {
            KeyIndex index = view.index();
            for (long[] a : accepted) {
                long[] e = index.entries(requests.get((int) a[0]).key);
                boolean there = false;
                for (int i = 0; e != null && i < KeyIndex.count(e); i++) {
                    there |= KeyIndex.revision(e, i) == a[1]
                            && (found > 0 || KeyIndex.created(e, i) == created);
                }
                if (!there) {
                    return index.lastRevision() < a[1] ? found : -1;
                }
                found++;
            }
            return found;
        } finally {
            view.readLock().unlock();
        }
    }

    /** The end of the {@code n}th record from {@code offset} in the open generation's log (n at least 1). */
    long recordEnd(long g, long offset, int n) throws IOException {
        Generation gen = view.generation();
        if (gen.number() != g) {
            return -1;
        }
        LogReader r = new LogReader(gen.log(), offset, gen.log().size());
        long end = offset;
        for (int i = 0; i < n; i++) {
            end = r.next().end();
        }
        return end;
    }

    /**
     * The records other processes appended between {@code from} and {@code to}, waiting for their force; null when
     * they are not all intact.
     */
    private List<LogRecord> waitingRecords(Generation gen, long from, long to) throws IOException {
        if (from >= to) {
            return List.of();
        }
        List<LogRecord> out = new ArrayList<>();
        LogReader r = new LogReader(gen.log(), from, to);
        LogRecord rec;
        while ((rec = r.next()) != null) {
            out.add(rec);
        }
        return r.position() == to ? out : null;
    }

    /**
     * Completes an appended batch: waits for its force (durable mode), publishes it, applies it to the index and
     * gives each request its outcome, whatever happens. No lock is held.
     */
    private void complete(Appended a) {
        try {
            long g = a.gen().number();
            if (engine.store.durable()) {
                LockFiles.uninterrupted(() -> {
                    awaitForced(a); // takes the lock file's force lock and forces the log
                    return null;
                });
            }
            engine.head.raise(HeadFile.PUBLISHED_AT, g, a.end(), false);
            view.writeLock().lock();
            try {
                // Another generation: a compaction carried the batch into it, and reads catch up with it there.
                // No index: this process wrote without it, and loads the batch with the index if ever it needs it.
                if (view.index() != null && view.generation() == a.gen()) {
                    view.replayTo(a.end());
                }
            } finally {
                view.writeLock().unlock();
            }
            for (int k = 0; k < a.batch().size(); k++) {
                WriteRequest r = a.batch().get(k);
                if (!r.isDone()) {
                    r.succeed(a.revisions()[k]);
                }
            }
            engine.notify.poke();
        } catch (KvException e) {
            failRemaining(a.batch(), e);
        } catch (IOException e) {
            failRemaining(a.batch(), engine.ioFailure("write", e));
        } catch (RuntimeException | Error e) {
            LOG.get().error("bucket {}: unexpected failure while committing", engine.name, e);
            failRemaining(a.batch(), new StoreException("bucket " + engine.name + ": write failed: " + e));
            if (e instanceof Error err) {
                throw err;
            }
        } finally {
            endPending();
        }
        engine.signalWatches();
        engine.afterWrite();
    }

    /** The batch is published or has failed: no longer pending (it was counted when appended). */
    private void endPending() {
        try {
            engine.bucketLock.endPending();
        } catch (IOException e) {
            // The OS lets go of the byte when the lock file closes; until then orphans wait for the next settler.
            LOG.get().warn("bucket {}: cannot release the pending lock: {}", engine.name, e.toString());
        }
    }

    /**
     * Returns once the log is forced past the batch: at once when the forced mark says so, else after waiting for
     * the force under way in any process ({@link BucketLock#awaitForced}), or under the force lock, forcing
     * everything appended so far unless whoever held the lock before did. Throws when the batch was
     * cut off by a failed force, or this force failed (the log is then cut back to the forced mark).
     */
    private void awaitForced(Appended a) throws IOException {
        if (forcedPast(a)) {
            return;
        }
        engine.bucketLock.awaitForced(() -> forcedPast(a), () -> {
            if (!stillInLog(a)) {
                return;
            }
            long g = a.gen().number();
            long appended = HeadFile.lengthIn(engine.head.word(HeadFile.APPENDED_AT), g);
            if (appended < 0) {
                return; // a compaction made a new generation, which holds the batch, forced
            }
            try {
                a.gen().log().force();
                engine.store.stats().forced();
            } catch (IOException | RuntimeException | Error e) {
                cutUnforced(a.gen());
                throw e;
            }
            engine.head.raise(HeadFile.FORCED_AT, g, Math.max(appended, a.end()), false);
        });
    }

    /**
     * True when the batch is known forced: the forced mark of its generation is past it and no cut came after the
     * batch was appended (read in that order: a mark read before any cut was raised by a force of the batch itself),
     * or the generation is another one (a compaction forced the new log, the batch in it, before switching).
     */
    private boolean forcedPast(Appended a) throws IOException {
        long forced = HeadFile.lengthIn(engine.head.word(HeadFile.FORCED_AT), a.gen().number());
        return forced < 0 || (forced >= a.end() && engine.head.word(HeadFile.CUTS_AT) == a.cuts());
    }

    /**
     * After a failed force somewhere cut the log: whether the batch's bytes are still where it wrote them (a cut
     * goes back to the forced mark, which may lie past the batch), holding the file lock; throws when they are not.
     */
    private boolean stillInLog(Appended a) throws IOException {
        if (engine.head.word(HeadFile.CUTS_AT) == a.cuts()) {
            return true;
        }
        boolean[] there = new boolean[1];
        engine.bucketLock.runExclusive(() -> {
            ByteBuffer now = ByteBuffer.allocate(a.bytes().limit());
            if (a.gen().log().size() >= a.end()) {
                a.gen().log().readFully(now, a.start());
                now.flip();
                there[0] = now.equals(a.bytes().duplicate().rewind());
            }
        });
        if (!there[0]) {
            throw new StoreException("bucket " + engine.name + ": write failed: another writer's force of the log "
                    + "failed, and the write was cut off with what it had not forced; the write was not stored");
        }
        return true;
    }

    /**
     * After a failed force: cuts the log back to the forced mark (the file system may have dropped anything after
     * it), so that no later force can seem to cover it, and counts the cut, which fails every batch waiting beyond
     * it. The force lock is held; takes the file lock.
     */
    private void cutUnforced(Generation gen) {
        try {
            engine.bucketLock.runExclusive(() -> cutUnforcedLocked(gen));
        } catch (IOException | RuntimeException e) {
            LOG.get().warn("bucket {}: could not cut back the log after a failed force: {}", engine.name,
                    e.toString());
        }
    }

    /** {@link #cutUnforced} holding the file lock. */
    private void cutUnforcedLocked(Generation gen) throws IOException {
        long forced = HeadFile.lengthIn(engine.head.word(HeadFile.FORCED_AT), gen.number());
        if (forced >= 0 && view.generation() == gen && gen.log().size() > forced) {
            gen.log().truncate(forced);
            engine.head.cutTo(gen.number(), forced);
        }
    }

    /** Undoes a batch that could not be written: cut the file back to where it started and fail the writes. */
    private void rollback(Generation gen, long start, List<WriteRequest> batch, IOException cause) {
        KvException failure = engine.ioFailure("write", cause);
        try {
            gen.log().truncate(start);
        } catch (IOException e) {
            // Intact records of the batch may stay in the file, and the next writer would adopt them: say so.
            failure = new StoreException(failure.getMessage().replace("; the write was not stored", "")
                    + "; the write may still be applied when the file system is writable again");
            LOG.get().warn("bucket {}: could not cut back a failed write: {}", engine.name, e.toString());
        }
        failRemaining(batch, failure);
    }

    /** Checks a write against the bucket's rules as {@code fork} (the index and the batch so far) has it. */
    private int validate(WriteRequest r, BucketConfig c, KeyIndex fork) {
        String bucket = engine.name;
        int len = r.value.length;
        if (len > LogFormat.MAX_VALUE_LENGTH || (c.maxValueSize() != BucketConfig.UNLIMITED
                && len > c.maxValueSize())) {
            long limit = c.maxValueSize() == BucketConfig.UNLIMITED ? LogFormat.MAX_VALUE_LENGTH
                    : Math.min(c.maxValueSize(), LogFormat.MAX_VALUE_LENGTH);
            throw new ValueTooLargeException("value of " + len + " bytes is larger than the max value size of "
                    + limit + " bytes of bucket " + bucket);
        }
        long[] e = fork.entries(r.key);
        int n = e == null ? 0 : KeyIndex.count(e);
        long latest = n == 0 ? 0 : KeyIndex.revision(e, n - 1);
        switch (r.check) {
            case CREATE -> {
                if (n > 0 && KeyIndex.op(e, n - 1) == Operation.PUT) {
                    throw new KeyExistsException(bucket, r.key, latest);
                }
            }
            case REVISION -> {
                if (latest != r.expected) {
                    throw new WrongRevisionException(bucket, r.key, r.expected, latest);
                }
            }
            case NONE -> {
            }
        }
        int recordLength = LogFormat.recordLength(r.key.length(), len);
        if (c.maxBucketSize() != BucketConfig.UNLIMITED) {
            long freed = 0;
            int drop = r.op == Operation.PURGE ? n : Math.max(0, n - (c.history() - 1));
            for (int i = 0; i < drop; i++) {
                freed += KeyIndex.recordLength(r.key, e, i);
            }
            long after = fork.bytes() - freed + recordLength;
            if (after > c.maxBucketSize()) {
                throw new BucketFullException("bucket " + bucket + " is full: writing " + recordLength
                        + " bytes would take it past its max bucket size of " + c.maxBucketSize() + " bytes ("
                        + fork.bytes() + " stored)");
            }
        }
        return recordLength;
    }

    /**
     * Appends entries restored from a backup with their own revisions and times (which must rise above the
     * bucket's), forced before it returns. Limits are not checked: the entries met them when first written.
     */
    void appendRestored(List<Entry> entries) throws IOException {
        engine.bucketLock.runExclusive(() -> {
            // Rare: adopt (forcing them) the batches other processes appended, so the entries go after them.
            engine.recovery().syncLockedUnderWriteLock();
            Generation gen = view.generation();
            BucketConfig c = gen.config();
            long last;
            long lastCreated;
            long start;
            view.readLock().lock();
            try {
                last = view.index().lastRevision();
                lastCreated = view.index().lastCreated();
                start = view.length();
            } finally {
                view.readLock().unlock();
            }
            long total = 0;
            for (Entry e : entries) {
                Names.checkKey(e.key());
                if (e.revision() <= last) {
                    throw new InvalidInputException("cannot restore revision " + e.revision() + " of key \""
                            + e.key() + "\" into bucket " + engine.name + ": revisions must rise above " + last);
                }
                last = e.revision();
                total += LogFormat.recordLength(e.key().length(), e.operation().isMarker() ? 0 : e.value().length);
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(total));
            long[] offsets = new long[entries.size()];
            long[] created = new long[entries.size()];
            long pos = start;
            for (int k = 0; k < entries.size(); k++) {
                Entry e = entries.get(k);
                created[k] = Math.max(lastCreated, Times.nanos(e.created()));
                lastCreated = created[k];
                offsets[k] = pos;
                byte[] value = e.operation().isMarker() ? new byte[0] : e.value();
                LogFormat.encode(buf, e.operation(), e.revision(), created[k], e.key(), value);
                pos += LogFormat.recordLength(e.key().length(), value.length);
            }
            buf.flip();
            long end = pos;
            try {
                gen.log().write(buf, start);
                gen.log().force();
                engine.store.stats().forced();
            } catch (IOException e) {
                gen.log().truncate(start);
                throw e;
            }
            view.writeLock().lock();
            try {
                KeyIndex index = view.index();
                for (int k = 0; k < entries.size(); k++) {
                    Entry e = entries.get(k);
                    int len = e.operation().isMarker() ? 0 : e.value().length;
                    index.apply(e.key(), e.operation(), e.revision(), offsets[k], created[k], len, c.history());
                }
                view.advanceTo(end);
            } finally {
                view.writeLock().unlock();
            }
            engine.head.write(new HeadFile.State(gen.number(), end, false));
            engine.notify.poke();
        });
        engine.signalWatches();
    }
}
