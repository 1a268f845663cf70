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
import java.util.List;

/**
 * Writes to the bucket's log, in batches: the committer of the bucket's {@link GroupCommit}. Under the file lock it
 * catches up with the files, validates each request against a fork of the index, encodes the batch, appends it
 * with one write and forces it with one force, holding no lock that readers need; only then does it apply the batch
 * to the index (microseconds under the view's write lock) and publish the new length in the head. Readers never wait
 * for the disk and never see a write before it is durable. A failed write or force cuts the file back and fails the
 * batch (docs/embedded-engine.md, Writing).
 *
 * <p>The engine creates its writer on the first write, so a process that only reads never loads it.
 */
final class BatchWriter {
    private static final LazyLogger LOG = new LazyLogger(BatchWriter.class);

    private final BucketEngine engine;
    private final LogView view;
    /* A method reference is no cost here: the writer is made on the first write, which needs lambdas anyway. */
    private final GroupCommit groupCommit = new GroupCommit(this::commit);

    BatchWriter(BucketEngine engine) {
        this.engine = engine;
        this.view = engine.view;
    }

    /** Queues a write and waits until it is committed (durable, in durable mode) or refused. */
    long submit(WriteRequest r) {
        return groupCommit.submit(r);
    }

    /** Commits one batch; gives every request an outcome, whatever happens. The group commit's lock is held. */
    private void commit(List<WriteRequest> batch) {
        boolean[] wrote = new boolean[1];
        try {
            engine.bucketLock.runExclusive(() -> wrote[0] = appendBatch(batch));
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
        if (wrote[0]) {
            engine.signalWatches();
            engine.afterWrite();
        }
    }

    private static void failRemaining(List<WriteRequest> batch, KvException e) {
        for (WriteRequest r : batch) {
            if (!r.isDone()) {
                r.fail(e);
            }
        }
    }

    /**
     * Validates, appends, forces and publishes one batch; the file lock is held, so this process is the only
     * writer. Requests are marked successful only once published. True if anything was written.
     */
    private boolean appendBatch(List<WriteRequest> batch) throws IOException {
        engine.recovery().syncForWrite();
        // Under the file lock the generation cannot change: the one taken here is the one written to.
        Generation gen = view.generation();
        BucketConfig c = gen.config();
        long now = engine.store.nowNanos();
        if (c.hasTtl() && c.maxBucketSize() != BucketConfig.UNLIMITED) {
            // Expired entries must not count against the size limit (JetStream drops them on its own timer).
            view.expire(engine.store.nowNanos() - c.ttl().toNanos());
        }
        KeyIndex fork;
        long start;
        view.readLock().lock();
        try {
            fork = view.index().fork(batch.stream().map(r -> r.key).toList());
            start = view.length();
        } finally {
            view.readLock().unlock();
        }
        if (c.hasTtl()) {
            fork.expire(now - c.ttl().toNanos());
        }
        long total = 0;
        for (WriteRequest r : batch) {
            total += LogFormat.recordLength(r.key.length(), r.value.length);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(total, Integer.MAX_VALUE - 16));
        long[] revisions = new long[batch.size()];
        long[] offsets = new long[batch.size()];
        long[] created = new long[batch.size()];
        long pos = start;
        for (int k = 0; k < batch.size(); k++) {
            WriteRequest r = batch.get(k);
            try {
                int len = validate(r, c, fork);
                if (buf.remaining() < len) {
                    throw new ValueTooLargeException("a batch of writes larger than 2 GiB cannot be stored");
                }
                revisions[k] = fork.lastRevision() + 1;
                created[k] = Math.max(now, fork.lastCreated());
                offsets[k] = pos;
                LogFormat.encode(buf, r.op, revisions[k], created[k], r.key, r.value);
                fork.apply(r.key, r.op, revisions[k], pos, created[k], r.value.length, c.history());
                pos += len;
            } catch (KvException e) {
                r.fail(e);
            }
        }
        buf.flip();
        if (!buf.hasRemaining()) {
            return false;
        }
        long end = pos;
        try {
            gen.log().write(buf, start);
            if (engine.store.durable()) {
                gen.log().force();
            }
        } catch (IOException e) {
            rollback(gen, start, batch, e);
            return false;
        } catch (RuntimeException | Error e) {
            rollback(gen, start, batch, new IOException(e.toString(), e));
            throw e;
        }
        view.writeLock().lock();
        try {
            KeyIndex index = view.index();
            for (int k = 0; k < batch.size(); k++) {
                WriteRequest r = batch.get(k);
                if (!r.isDone()) {
                    index.apply(r.key, r.op, revisions[k], offsets[k], created[k], r.value.length, c.history());
                }
            }
            view.advanceTo(end);
        } finally {
            view.writeLock().unlock();
        }
        engine.head.write(new HeadFile.State(gen.number(), end, false));
        for (int k = 0; k < batch.size(); k++) {
            if (!batch.get(k).isDone()) {
                batch.get(k).succeed(revisions[k]);
            }
        }
        engine.notify.poke();
        return true;
    }

    /**
     * Undoes a batch that could not be written or forced: cut the file back and fail the writes. The index was
     * not touched (it is updated only after the force).
     */
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
            engine.recovery().syncForWrite();
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
