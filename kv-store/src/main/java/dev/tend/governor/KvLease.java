package dev.tend.governor;

import dev.tend.kv.Bucket;
import dev.tend.kv.KvException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.WrongRevisionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/** A held slot: released by deleting its key at the claim's revision, so that it never frees another's claim. */
final class KvLease implements Lease {

    private static final Logger LOG = LoggerFactory.getLogger(KvLease.class);

    private final String governor;
    private final Bucket bucket;
    private final int slot;
    private final String key;
    private final long revision;
    private final Instant since;
    private final AtomicBoolean released = new AtomicBoolean();

    KvLease(String governor, Bucket bucket, int slot, String key, long revision, Instant since) {
        this.governor = governor;
        this.bucket = bucket;
        this.slot = slot;
        this.key = key;
        this.revision = revision;
        this.since = since;
    }

    @Override
    public String governor() {
        return governor;
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public Instant since() {
        return since;
    }

    @Override
    public boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        try {
            bucket.delete(key, revision);
            return true;
        } catch (WrongRevisionException e) {
            LOG.info("governor {}: slot {} was no longer ours to release (taken over after the hold time, or"
                    + " evicted)", governor, slot);
            return false;
        } catch (UnknownBucketException e) {
            LOG.info("governor {}: removed while we held slot {}", governor, slot);
            return false;
        }
    }

    @Override
    public void close() {
        try {
            release();
        } catch (KvException e) {
            LOG.warn("governor {}: cannot release slot {}: {}", governor, slot, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "slot " + slot + " of governor " + governor + " since " + since;
    }
}
