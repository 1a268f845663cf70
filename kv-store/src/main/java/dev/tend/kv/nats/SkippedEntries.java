package dev.tend.kv.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries a bucket's {@link NatsBucketTail} was not sent although they are in the stream. A nats-server before
 * {@link NatsServerVersion#PURGE_SPARES_OTHER_SUBJECTS} moves every consumer whose filter matches a purged subject on
 * to the first message the purge kept: a KV purge of one key (its marker carries {@code Nats-Rollup: sub}) or a
 * filtered purge of the stream (purging delete markers) makes the tail's consumer, which reads all the bucket's keys,
 * pass over the entries of other keys it had not sent yet. On such a server a gap in the stream sequences the tail
 * receives is looked up, and the entries still there come back to be handed to the watches before the one received.
 * On a later server a gap means only entries removed before they were sent (a key's history limit, a purge, an
 * expiry): nothing is looked up.
 *
 * <p>Every gap is logged at DEBUG with what was found. Used on the watches' dispatcher thread only.
 */
final class SkippedEntries {
    private static final Logger LOG = LoggerFactory.getLogger(SkippedEntries.class);

    /** The stream's first message on the bucket's subjects at or after a sequence; null when there is none. */
    @FunctionalInterface
    interface NextMessage {
        MessageInfo from(long sequence) throws IOException, JetStreamApiException;
    }

    private final String bucket;
    /** Null where gaps are only removed entries. */
    private final NextMessage lookup;
    /** The last stream sequence the tail received, or the stream's last one when it started. */
    private long last;

    /**
     * @param start  the stream's last sequence when the tail's consumer was made (it sends what comes after)
     * @param lookup how to read the stream where gaps are looked up, or null where a gap is only logged
     */
    SkippedEntries(String bucket, long start, NextMessage lookup) {
        this.bucket = bucket;
        this.last = start;
        this.lookup = lookup;
    }

    /**
     * The entries after the last sequence received and before {@code sequence}, which the tail receives now, that are
     * still in the stream, in order (none where nothing is looked up); {@code sequence} becomes the last received.
     */
    List<KeyValueEntry> before(long sequence) {
        long from = last + 1;
        last = Math.max(last, sequence);
        if (sequence <= from) {
            return List.of();
        }
        if (lookup == null) {
            LOG.debug("bucket {}: the watches' consumer was not sent stream sequences {} to {} (removed before)",
                    bucket, from, sequence - 1);
            return List.of();
        }
        List<KeyValueEntry> found = new ArrayList<>();
        try {
            for (long next = from; next < sequence; ) {
                MessageInfo m = lookup.from(next);
                if (m == null || m.getSeq() >= sequence) {
                    break;
                }
                found.add(new KeyValueEntry(m));
                next = m.getSeq() + 1;
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.warn("bucket {}: the watches may miss entries between revisions {} and {}: reading them failed: {}",
                    bucket, from, sequence - 1, NatsErrors.oneLine(e));
        }
        LOG.debug("bucket {}: the watches' consumer was not sent stream sequences {} to {}; {} of them still there: {}",
                bucket, from, sequence - 1, found.size(), found.stream().map(KeyValueEntry::getRevision).toList());
        return found;
    }
}
