package dev.tend.kv.embedded;

import dev.tend.kv.KvException;
import dev.tend.kv.StoreException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off of writes between processes (docs/embedded-engine.md, Writing): a process's batch is posted in its
 * slot of the bucket's slot table ({@link SlotTable}), and one process at a time, the holder, commits every posted
 * batch together: one catch-up, one append, one force and one publication for all of them, instead of one of each
 * per process.
 *
 * <p>A requester claims a slot once (under the file lock: its OS lock, {@link SlotTable}), posts its batch (state
 * POSTED), then loops: its slot DONE ends it (the outcomes are in the slot; REJECTED: written directly; LOST: failed
 * as unknown); else, when a round is being served (the table's sequence odd) and it has not waited for that round
 * yet, it waits for the round's byte of the wake file shared; else it tries byte 5 of {@code lock} exclusively without
 * waiting and, when it gets it, is the holder and serves rounds; else, when a round is being served, it waits for the
 * round's byte of the wake file shared (every waiter wakes together when the holder lets go), or else (between
 * holders) sleeps {@value #GAP_NANOS} ns, twice as long each time in a row up to {@value #MAX_GAP_NANOS} ns.
 *
 * <p>The holder, holding byte 5, takes the round's byte with the sequence odd, then the file lock (byte 0, so writers
 * taking the direct path, and builds without the hand-off, wait as they do for any writer) and, in
 * {@link BatchWriter#serveRound}: catches up with the files (repairing a torn tail); settles what a dead holder left
 * claimed (below); claims every posted slot whose owner still holds its lock (POSTED to TAKEN; a gone owner's request
 * is discarded, and a slot that cannot be decoded is set REJECTED); validates every claimed operation in order with the
 * engine's own checks against its index; before appending, records in each slot its outcomes and where its records
 * go (generation, offset, end, the first one's time), the generation last; appends all accepted operations with one
 * write, forces once, raises the marks, publishes, writes each outcome and marks the slot DONE.
 *
 * <p>Crashes. A holder killed with slots TAKEN leaves them so; byte 5 is released by the OS, and the next holder,
 * after the catch-up has cut any torn tail, settles each: a claim with no generation recorded appended nothing, and
 * is posted again; one whose records are all in the log (at the recorded offset, with the recorded revisions, keys,
 * operations, values and time; in a newer generation, in the index) is done with the recorded outcomes, reported
 * after this round's force (a killed process's appended bytes are in the page cache, not necessarily on disk); one
 * whose records are not there (cut as a torn tail) is posted again; one whose first records are there and the rest
 * cut keeps those and has the rest made again by its requester. So a request is never applied twice and never lost
 * once acknowledged. When a compaction carried the log into a new generation and a record is neither in the index
 * nor beyond its last revision (a later write dropped it from the key's history), the outcome cannot be told and the
 * request fails saying so; a claim that cannot be read back is LOST. A requester killed with a posted request has it
 * discarded, never applied (so never after writes acknowledged once it had gone); its slot is reclaimed by the next
 * process that needs one ({@link SlotTable#claim}).
 *
 * <p>Requests that do not fit a slot, processes without the index, relaxed durability, and a full table take the
 * direct path (the file lock, as before the hand-off); so do builds without it, which the holder's hold of the file
 * lock keeps correct.
 */
final class Handoff implements Closeable {
    private static final LazyLogger LOG = new LazyLogger(Handoff.class);
    /** How long a requester first sleeps when it finds byte 5 held and no round being served. */
    private static final long GAP_NANOS = 20_000;
    /** The longest such sleep: each one in a row doubles, up to this (a holder preempted between its locks). */
    private static final long MAX_GAP_NANOS = 160_000;
    /** The most rounds one hold of byte 5 serves in a row, while slots are posted. */
    static final int MAX_ROUNDS_PER_HOLD = 4;

    private final BucketEngine engine;
    private final BatchWriter writer;
    private final SlotTable table;
    /** This instance's owner word in its slot (a random token: {@link SlotTable}, Ownership). */
    private final long token = SlotTable.newToken();
    /** This store instance's slot, claimed on first use; -1 before, or when none was free. */
    private int slot = -1;
    /** Whether the thread in {@link #submit} was interrupted (its status cleared meanwhile). */
    private boolean interrupted;

    /**
     * A claimed slot of the round: its requests to commit; or, settled from a dead holder's round ({@code settled}),
     * its requests as posted, done once the log is forced to {@code end} (-1: forced already).
     */
    record Claim(int slot, int requestBytes, List<WriteRequest> requests, boolean settled, long end) {
    }

    private Handoff(BucketEngine engine, BatchWriter writer, SlotTable table) {
        this.engine = engine;
        this.writer = writer;
        this.table = table;
    }

    /** The bucket's hand-off, or null when its table cannot be opened (every write then takes the direct path). */
    static Handoff open(BucketEngine engine, BatchWriter writer) {
        try {
            return new Handoff(engine, writer, SlotTable.open(engine.dir, engine.store.fileModes()));
        } catch (IOException | RuntimeException e) {
            LOG.get().debug("bucket {}: no hand-off of writes: {}", engine.name, e.toString());
            return null;
        }
    }

    /**
     * Posts {@code batch} and returns once a holder (maybe this process) has given every request its outcome; returns
     * those to make directly (refusals whose message did not fit, or the whole batch when a holder could not decode
     * it or it was discarded), or null, having posted nothing, when the batch does not fit a slot or none is free.
     * The group commit's lock is held: one thread of this instance at a time.
     *
     * <p>The thread's interrupt status is cleared for the hand-off and set again when it returns: a file channel
     * used by an interrupted thread is closed by the JDK, and with it go the OS locks this process holds on the file
     * (the slots', the file lock).
     */
    List<WriteRequest> submit(List<WriteRequest> batch) throws IOException {
        interrupted = Thread.interrupted();
        try {
            return post(batch);
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Clears the thread's interrupt status, kept for the end of {@link #submit}, before a lock file is used. */
    private void keepInterrupt() {
        interrupted |= Thread.interrupted();
    }

    private List<WriteRequest> post(List<WriteRequest> batch) throws IOException {
        if (slot >= 0 && !table.owns(slot, token)) {
            // Its lock was lost (a descriptor of the file closed under it: see LockFiles) or taken over.
            LOG.get().warn("bucket {}: hand-off slot {} is no longer this store's; claiming another", engine.name,
                    slot);
            releaseSlot();
        }
        if (slot < 0) {
            // Under the file lock, so that no holder serves a round meanwhile (SlotTable.claim).
            int[] got = {-1};
            engine.bucketLock.runExclusive(() -> got[0] = table.claim(token));
            slot = got[0];
            if (slot < 0) {
                return null;
            }
        }
        if (table.get(slot, SlotTable.STATE) != SlotTable.FREE) {
            // Left TAKEN by a round that failed with an Error: the next holder settles it; this batch goes directly.
            releaseSlot();
            return null;
        }
        ByteBuffer body = table.body(slot);
        int n = SlotCodec.encodeRequests(body, batch);
        if (n < 0) {
            return null;
        }
        table.setInt(slot, SlotTable.COUNT, batch.size());
        table.setInt(slot, SlotTable.REQUEST_BYTES, n);
        table.set(slot, SlotTable.CLAIM_GEN, 0);
        if (!table.owns(slot, token)) {
            return null; // taken over while encoding: nothing posted; the next submit claims another
        }
        table.set(slot, SlotTable.STATE, SlotTable.POSTED);
        long gap = GAP_NANOS;
        long waited = -1;
        while (true) {
            List<WriteRequest> ended = ended(body, n, batch);
            if (ended != null) {
                return ended;
            }
            long served = table.sequence();
            if ((served & 1) == 1 && served != waited) {
                // A round is being served, so byte 5 is held: wait for the round without trying it. The same odd
                // sequence after the wait is a holder that died in its round (or an interrupt that woke this wait
                // early): byte 5 is tried then.
                engine.bucketLock.awaitRound(served >>> 1);
                waited = served;
                gap = GAP_NANOS;
                continue;
            }
            keepInterrupt();
            FileLock holder = engine.bucketLock.tryHolder();
            if (holder != null) {
                try {
                    hold();
                } catch (Error e) {
                    // As on the direct path, an Error ends the write in this thread (the group commit fails what has
                    // no outcome); a batch the round served keeps the outcomes it was given, written or refused.
                    if (!table.cas(slot, SlotTable.STATE, SlotTable.POSTED, SlotTable.FREE)) {
                        List<WriteRequest> again = ended(body, n, batch);
                        if (again != null) {
                            again.forEach(r -> r.fail(new StoreException("bucket " + engine.name
                                    + ": write failed: " + e)));
                        }
                    }
                    throw e;
                } catch (IOException | RuntimeException e) {
                    // Not served (the holder failed before its round): take the request back, unless served.
                    if (table.cas(slot, SlotTable.STATE, SlotTable.POSTED, SlotTable.FREE)) {
                        throw e;
                    }
                    LOG.get().warn("bucket {}: hand-off round failed: {}", engine.name, e.toString());
                } finally {
                    holder.release();
                }
                continue;
            }
            long seq = table.sequence();
            if ((seq & 1) == 1) {
                engine.bucketLock.awaitRound(seq >>> 1);
                waited = seq;
                gap = GAP_NANOS;
            } else {
                // Between holders: one is taking or letting go of its locks. A short sleep, not a spin, longer each
                // time in a row: a holder preempted here would otherwise share its CPU with every waiter's looks.
                LockSupport.parkNanos(gap);
                gap = Math.min(2 * gap, MAX_GAP_NANOS);
            }
        }
    }

    /**
     * When the posted batch has ended (its slot no longer POSTED or TAKEN), gives its requests their outcomes and
     * returns those to make directly; null while it waits. An outcome is read only while the slot is still this
     * instance's (its owner word the token): a slot taken over may hold another process's outcomes, and its batch
     * fails as unknown.
     */
    private List<WriteRequest> ended(ByteBuffer body, int n, List<WriteRequest> batch) {
        // The owner word first: a slot taken over goes on with its new owner's states, and may never be seen idle.
        if (table.get(slot, SlotTable.OWNER) != token) {
            StoreException unknown = new StoreException("bucket " + engine.name + ": the hand-off slot of this write "
                    + "was taken over by another process; whether the write was stored cannot be told");
            batch.forEach(r -> r.fail(unknown));
            releaseSlot(); // not ours any more; the next submit claims a slot again
            return List.of();
        }
        long state = table.get(slot, SlotTable.STATE);
        if (state == SlotTable.POSTED || state == SlotTable.TAKEN) {
            return null;
        }
        List<WriteRequest> again;
        if (state == SlotTable.DONE) {
            again = SlotCodec.readOutcomes(body, n, batch, engine.name);
        } else if (state == SlotTable.LOST) {
            StoreException unknown = new StoreException("bucket " + engine.name + ": the process committing this "
                    + "write was killed, and whether the write was stored cannot be told");
            batch.forEach(r -> r.fail(unknown));
            again = List.of();
        } else if (state == SlotTable.REJECTED) {
            again = batch; // the holder could not decode the slot: nothing of it was applied
        } else {
            // FREE: discarded by a holder that found the slot's lock free (this process's lock on it was lost, see
            // SlotTable): nothing of it was applied. The slot is claimed again, its lock taken anew.
            releaseSlot();
            return batch;
        }
        table.set(slot, SlotTable.STATE, SlotTable.FREE);
        return again;
    }

    /**
     * Holding byte 5: the round's byte with the sequence odd, then the file lock, one round; then, while slots are
     * posted, up to {@value #MAX_ROUNDS_PER_HOLD} rounds in all. The sequence is odd before the file lock is taken (a
     * direct writer may hold it a while), so the writers posting meanwhile wait for the round's byte instead of
     * polling. A next round's byte is taken, and the sequence raised to it, before the last round's is let go: the
     * writers that round wakes whose slots were posted meanwhile find the next round under way and wait for it,
     * instead of all trying byte 5 and polling while the next holder takes its locks.
     */
    private void hold() throws IOException {
        long round = table.sequence() >>> 1;
        FileLock wake = engine.bucketLock.lockRound(round);
        keepInterrupt();
        Error later = null;
        try {
            table.setSequence(2 * round + 1);
            // The files' identity (a stat) with the sequence odd, so that the writers waiting meanwhile sleep on the
            // round's byte rather than poll.
            engine.identity.check();
            engine.bucketLock.runExclusive(this::serve);
            for (int served = 1; served < MAX_ROUNDS_PER_HOLD && anyPosted(); served++) {
                FileLock next = engine.bucketLock.lockRound(round + 1);
                keepInterrupt();
                // The newest byte is the one the finally lets go, whatever throws from here; the last round's is let
                // go after the sequence is raised to the next round.
                FileLock last = wake;
                wake = next;
                round++;
                try {
                    table.setSequence(2 * round + 1);
                } finally {
                    BucketLock.releaseRound(last);
                }
                try {
                    engine.identity.check();
                    engine.bucketLock.runExclusive(this::serve);
                } catch (IOException | RuntimeException e) {
                    // This holder's own batch was served in the first round: a later round's failure ends the hold,
                    // and the requesters still posted elect the next holder (a round failing before its claims
                    // leaves them posted; one failing after gives each claimed request its failure).
                    LOG.get().warn("bucket {}: hand-off round failed: {}", engine.name, e.toString());
                    break;
                } catch (Error e) {
                    // The same for an Error (this JVM's, e.g. out of memory), which is not swallowed: it is thrown
                    // once the hold has ended, and post gives this holder's own batch the outcomes in its slot
                    // (served, DONE) before throwing it on to the group commit, as on the direct path.
                    LOG.get().error("bucket {}: hand-off round failed: {}", engine.name, e.toString());
                    later = e;
                    break;
                }
            }
        } finally {
            table.setSequence(2 * round + 2);
            BucketLock.releaseRound(wake);
        }
        if (later != null) {
            throw later;
        }
    }

    /** Whether a slot is posted (a request waiting for a round). */
    private boolean anyPosted() {
        for (int s = 0; s < SlotTable.SLOTS; s++) {
            if (table.get(s, SlotTable.STATE) == SlotTable.POSTED) {
                return true;
            }
        }
        return false;
    }

    /** One round, under the file lock: every claimed slot ends DONE with its outcomes, whatever happens. */
    private void serve() throws IOException {
        // Before anything is claimed: a failure here ends the round, and each requester (this one included) takes its
        // post back or waits for the next holder.
        HeadFile.State h = engine.recovery().syncForWrite();
        List<Claim> claims = new ArrayList<>();
        long forced = -1;
        try {
            settleDeadHolder(claims);
            for (int s = 0; s < SlotTable.SLOTS; s++) {
                if (table.get(s, SlotTable.STATE) == SlotTable.POSTED && ownerLive(s)
                        && table.cas(s, SlotTable.STATE, SlotTable.POSTED, SlotTable.TAKEN)) {
                    table.set(s, SlotTable.CLAIM_GEN, 0);
                    int bytes = table.getInt(s, SlotTable.REQUEST_BYTES);
                    try {
                        claims.add(new Claim(s, bytes, SlotCodec.decodeRequests(table.body(s),
                                table.getInt(s, SlotTable.COUNT), bytes), false, -1));
                    } catch (SlotCodec.UndecodableException e) {
                        // Freed for its requester, which makes its batch directly; the round goes on.
                        LOG.get().error("bucket {}: hand-off slot {} cannot be decoded ({}); its requester writes "
                                + "its batch directly", engine.name, s, e.getMessage());
                        table.set(s, SlotTable.STATE, SlotTable.REJECTED);
                    }
                }
            }
            forced = writer.serveRound(claims, this, h);
        } catch (KvException e) {
            failAll(claims, e);
        } catch (IOException e) {
            failAll(claims, engine.ioFailure("write", e));
        } catch (RuntimeException | Error e) {
            LOG.get().error("bucket {}: unexpected failure while committing", engine.name, e);
            // A claim recorded before the append may have its records in the log, where a later holder can adopt
            // them: whether it was stored cannot be told, as when a holder is killed.
            StoreException unknown = new StoreException("bucket " + engine.name + ": the write failed while it "
                    + "was committed (" + e + "), and whether the write was stored cannot be told");
            StoreException failed = new StoreException("bucket " + engine.name + ": write failed: " + e);
            for (Claim c : claims) {
                if (!c.settled()) {
                    failAll(List.of(c), table.get(c.slot(), SlotTable.CLAIM_GEN) != 0 ? unknown : failed);
                }
            }
            if (e instanceof Error err) {
                throw err;
            }
        } finally {
            for (Claim c : claims) {
                if (c.settled()) {
                    // Its outcomes are in the slot; reported once forced, else left for the next holder to settle.
                    if (c.end() <= forced) {
                        table.set(c.slot(), SlotTable.STATE, SlotTable.DONE);
                    }
                    continue;
                }
                for (WriteRequest r : c.requests()) {
                    if (!r.isDone()) {
                        r.fail(new StoreException("bucket " + engine.name + ": write failed"));
                    }
                }
                SlotCodec.writeOutcomes(table.body(c.slot()), c.requestBytes(), c.requests(), null);
                table.set(c.slot(), SlotTable.STATE, SlotTable.DONE);
            }
        }
    }

    private static void failAll(List<Claim> claims, KvException e) {
        for (Claim c : claims) {
            if (c.settled()) {
                continue;
            }
            for (WriteRequest r : c.requests()) {
                if (!r.isDone()) {
                    r.fail(e);
                }
            }
        }
    }

    /**
     * Before the round's append: records each claim's outcomes and where its accepted records go, the generation
     * last, so that a next holder can settle the claim if this process dies. {@code batch} is what the round
     * commits (the claims' requests not refused before it), and the arrays give each of them, by its place in it,
     * its revision, offset, time and record length.
     */
    void recordClaims(List<Claim> claims, List<WriteRequest> batch, long g, long[] revisions, long[] offsets,
                      long[] created, int[] lengths) {
        java.util.IdentityHashMap<WriteRequest, Integer> at = new java.util.IdentityHashMap<>();
        for (int k = 0; k < batch.size(); k++) {
            at.put(batch.get(k), k);
        }
        for (Claim c : claims) {
            if (c.settled()) {
                continue;
            }
            long first = -1;
            long end = -1;
            long firstCreated = 0;
            long[] revs = new long[c.requests().size()];
            for (int i = 0; i < revs.length; i++) {
                WriteRequest r = c.requests().get(i);
                Integer k = at.get(r);
                if (k != null && !r.isDone()) {
                    revs[i] = revisions[k];
                    if (first < 0) {
                        first = offsets[k];
                        firstCreated = created[k];
                    }
                    end = offsets[k] + lengths[k];
                }
            }
            SlotCodec.writeOutcomes(table.body(c.slot()), c.requestBytes(), c.requests(), revs);
            if (first >= 0) {
                table.set(c.slot(), SlotTable.CLAIM_OFFSET, first);
                table.set(c.slot(), SlotTable.CLAIM_END, end);
                table.set(c.slot(), SlotTable.CLAIM_CREATED, firstCreated);
                table.set(c.slot(), SlotTable.CLAIM_GEN, g);
            }
        }
    }

    /**
     * Settles the slots a dead holder left TAKEN (only a dead one can have: this process holds byte 5): done when
     * every accepted record of the claim is in the log, else posted again (see the class comment). The file lock is
     * held and the files are caught up.
     */
    private void settleDeadHolder(List<Claim> claims) throws IOException {
        for (int s = 0; s < SlotTable.SLOTS; s++) {
            if (table.get(s, SlotTable.STATE) != SlotTable.TAKEN) {
                continue;
            }
            long g = table.get(s, SlotTable.CLAIM_GEN);
            int count = table.getInt(s, SlotTable.COUNT);
            int bytes = table.getInt(s, SlotTable.REQUEST_BYTES);
            ByteBuffer body = table.body(s);
            if (g == 0) {
                // Nothing of it was appended: posted again, or discarded below when its requester is gone.
                table.set(s, SlotTable.STATE, SlotTable.POSTED);
                continue;
            }
            List<WriteRequest> requests;
            List<long[]> accepted;
            try {
                requests = SlotCodec.decodeRequests(body, count, bytes);
                accepted = SlotCodec.accepted(body, bytes, count);
            } catch (SlotCodec.UndecodableException | RuntimeException e) {
                LOG.get().error("bucket {}: a writer process died committing others' writes, and hand-off slot {} "
                        + "cannot be decoded ({}); its requester is told its outcome cannot be known", engine.name,
                        s, e.toString());
                table.set(s, SlotTable.STATE, SlotTable.LOST);
                continue;
            }
            long end = table.get(s, SlotTable.CLAIM_END);
            int there = writer.claimInLog(g, table.get(s, SlotTable.CLAIM_OFFSET), end,
                    table.get(s, SlotTable.CLAIM_CREATED), requests, accepted);
            LOG.get().warn("bucket {}: a writer process died committing others' writes; slot {}: {} of {} accepted "
                    + "writes found in the log", engine.name, s, there < 0 ? "cannot tell how many" : there,
                    accepted.size());
            if (there < 0) {
                StoreException unknown = new StoreException("bucket " + engine.name + ": the process committing "
                        + "this write was killed, and whether the write was stored cannot be told");
                requests.forEach(r -> r.fail(unknown));
                claims.add(new Claim(s, bytes, requests, false, -1));
            } else if (there == 0) {
                table.set(s, SlotTable.CLAIM_GEN, 0);
                // None of it was applied: commit it again (when its requester is gone, discarded below).
                table.set(s, SlotTable.STATE, SlotTable.POSTED);
            } else {
                if (there < accepted.size()) {
                    // A torn tail cut the rest: those and the refusals after them (evaluated with them) are not
                    // applied, and the requester makes them again.
                    SlotCodec.againFrom(body, bytes, count, (int) accepted.get(there)[0]);
                    end = writer.recordEnd(g, table.get(s, SlotTable.CLAIM_OFFSET), there);
                }
                // Reported once the log is forced past them (a killed holder's bytes may be in the page cache only);
                // in another generation, a compaction forced them there.
                claims.add(new Claim(s, bytes, requests, true, g == engine.view.generation().number() ? end : -1));
            }
        }
    }

    /**
     * Whether the POSTED slot's owner still holds it. When not (its process is gone, or its store closed), the
     * request is discarded, never served: it was never acknowledged, and serving it now could order it after writes
     * acknowledged since its requester went away. The file lock is held, so no claim runs meanwhile.
     */
    private boolean ownerLive(int s) throws IOException {
        FileLock l = table.lockIfOwnerGone(s);
        if (l == null) {
            return true;
        }
        try {
            if (table.cas(s, SlotTable.STATE, SlotTable.POSTED, SlotTable.FREE)) {
                LOG.get().info("bucket {}: discarded an unacknowledged write posted in hand-off slot {} by a process "
                        + "that has gone", engine.name, s);
            }
        } finally {
            l.release();
        }
        return false;
    }

    private void releaseSlot() {
        try {
            table.release(slot, token);
        } catch (IOException e) {
            LOG.get().debug("bucket {}: letting go of hand-off slot {}: {}", engine.name, slot, e.toString());
        }
        slot = -1;
    }

    /** Gives this instance's slot back and closes the table. */
    @Override
    public void close() throws IOException {
        if (slot >= 0) {
            table.release(slot, token);
        }
        table.close();
    }
}
