package dev.tend.kv.embedded;

import dev.tend.kv.BucketFullException;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.KvException;
import dev.tend.kv.Operation;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.ValueTooLargeException;
import dev.tend.kv.WrongRevisionException;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a hand-off slot ({@link SlotTable}): the posted operations, then, after them, each one's outcome.
 *
 * <p>An operation: the log's operation code, the check ({@link WriteRequest.Check}), the expected revision, the key
 * (ASCII, with its length) and the value (with its length). An outcome: the revision given; or the refusal the
 * requester throws, as the direct path would: a create's existing key (its latest revision), a compare-and-set's
 * wrong revision (expected and latest), or one of {@link ValueTooLargeException}, {@link BucketFullException},
 * {@link StoreException} and {@link UnknownBucketException} with its message; or, for any other refusal or one whose
 * message does not fit, "make it again directly" (a refused operation applied nothing).
 */
final class SlotCodec {
    static final byte OK = 0;
    static final byte KEY_EXISTS = 1;
    static final byte WRONG_REVISION = 2;
    static final byte MESSAGE = 3;
    static final byte AGAIN = 4;
    private static final byte TOO_LARGE = 1;
    private static final byte FULL = 2;
    private static final byte STORE = 3;
    private static final byte UNKNOWN_BUCKET = 4;
    /** The room an outcome other than a message needs at most. */
    static final int OUTCOME_ROOM = 17;

    private SlotCodec() {
    }

    /**
     * Encodes {@code batch} at the start of {@code body}; returns its length, or -1 when it (with room for every
     * outcome without a message) does not fit.
     */
    static int encodeRequests(ByteBuffer body, List<WriteRequest> batch) {
        long need = (long) batch.size() * OUTCOME_ROOM;
        for (WriteRequest r : batch) {
            need += 16 + r.key.length() + r.value.length;
        }
        if (need > body.capacity()) {
            return -1;
        }
        ByteBuffer b = body.duplicate().clear();
        try {
            for (WriteRequest r : batch) {
                b.put(LogFormat.opCode(r.op)).put((byte) r.check.ordinal()).putLong(r.expected);
                b.putShort((short) r.key.length()).put(r.key.getBytes(StandardCharsets.US_ASCII));
                b.putInt(r.value.length).put(r.value);
            }
        } catch (BufferOverflowException e) {
            return -1;
        }
        return b.position();
    }

    /** A slot's body that is not a batch this build posts (torn, corrupted, or written by two processes). */
    static final class UndecodableException extends Exception {
        UndecodableException(String message) {
            super(message);
        }
    }

    /** The least bytes an operation takes: its code, check, expected revision, key length and value length. */
    private static final int MIN_OPERATION = 16;

    /**
     * The {@code count} operations at the start of {@code body}, {@code bytes} long, as requests for the holder to
     * commit. Every length is checked against the body before anything is allocated; an unknown operation or check,
     * an invalid key, or operations that do not end exactly at {@code bytes} make it undecodable.
     */
    static List<WriteRequest> decodeRequests(ByteBuffer body, int count, int bytes) throws UndecodableException {
        if (bytes < 0 || bytes > body.capacity() || count < 1 || count > bytes / MIN_OPERATION) {
            throw new UndecodableException(count + " operations in " + bytes + " bytes");
        }
        ByteBuffer b = body.duplicate().clear().limit(bytes);
        List<WriteRequest> out = new ArrayList<>(count);
        WriteRequest.Check[] checks = WriteRequest.Check.values();
        for (int i = 0; i < count; i++) {
            if (b.remaining() < MIN_OPERATION) {
                throw new UndecodableException("operation " + i + " cut at byte " + b.position());
            }
            Operation op = LogFormat.operation(b.get());
            int check = b.get();
            if (op == null || check < 0 || check >= checks.length) {
                throw new UndecodableException("operation " + i + ": unknown operation or check");
            }
            long expected = b.getLong();
            int keyLength = Short.toUnsignedInt(b.getShort());
            if (keyLength > b.remaining() - 4) {
                throw new UndecodableException("operation " + i + ": key of " + keyLength + " bytes");
            }
            byte[] key = new byte[keyLength];
            b.get(key);
            int valueLength = b.getInt();
            if (valueLength < 0 || valueLength > b.remaining()) {
                throw new UndecodableException("operation " + i + ": value of " + valueLength + " bytes");
            }
            byte[] value = new byte[valueLength];
            b.get(value);
            String k = new String(key, StandardCharsets.US_ASCII);
            if (!dev.tend.kv.Names.isValidKey(k)) {
                throw new UndecodableException("operation " + i + ": invalid key");
            }
            out.add(new WriteRequest(op, k, value, checks[check], expected));
        }
        if (b.hasRemaining()) {
            throw new UndecodableException(b.remaining() + " bytes after the operations");
        }
        return out;
    }

    /**
     * Writes the outcome of each of {@code batch} (each done, or given its revision in {@code revisions} when not)
     * after the requests ({@code at}: their length).
     */
    static void writeOutcomes(ByteBuffer body, int at, List<WriteRequest> batch, long[] revisions) {
        ByteBuffer b = body.duplicate().clear().position(at);
        for (int k = 0; k < batch.size(); k++) {
            WriteRequest r = batch.get(k);
            KvException e = r.isDone() ? r.error() : null;
            if (e == null) {
                b.put(OK).putLong(r.isDone() ? r.revision() : revisions[k]);
            } else if (e instanceof KeyExistsException ke) {
                b.put(KEY_EXISTS).putLong(ke.actual());
            } else if (e instanceof WrongRevisionException we) {
                b.put(WRONG_REVISION).putLong(we.expected()).putLong(we.actual());
            } else {
                byte type = typeOf(e);
                byte[] msg = e.getMessage() == null ? new byte[0] : e.getMessage().getBytes(StandardCharsets.UTF_8);
                // Each later outcome keeps its room: it needs at most OUTCOME_ROOM bytes without a message.
                int after = (batch.size() - k - 1) * OUTCOME_ROOM;
                if (type == 0 || msg.length > Short.MAX_VALUE || b.remaining() - after < 4 + msg.length) {
                    b.put(AGAIN);
                } else {
                    b.put(MESSAGE).put(type).putShort((short) msg.length).put(msg);
                }
            }
        }
    }

    private static byte typeOf(KvException e) {
        Class<?> c = e.getClass();
        if (c == ValueTooLargeException.class) {
            return TOO_LARGE;
        } else if (c == BucketFullException.class) {
            return FULL;
        } else if (c == StoreException.class) {
            return STORE;
        } else if (c == UnknownBucketException.class) {
            return UNKNOWN_BUCKET;
        }
        return 0;
    }

    /**
     * Gives each of {@code batch} (the requester's, as posted) its outcome from the body; returns those to make
     * again directly.
     */
    static List<WriteRequest> readOutcomes(ByteBuffer body, int at, List<WriteRequest> batch, String bucket) {
        List<WriteRequest> again = new ArrayList<>();
        try {
            readOutcomes(body.duplicate().clear().position(at), batch, bucket, again);
        } catch (RuntimeException e) {
            // Not what a holder writes (the slot was overwritten): these outcomes cannot be known.
            StoreException unknown = new StoreException("bucket " + bucket + ": the outcome of this write could not "
                    + "be read back from the hand-off slot (" + e + "); whether it was stored cannot be told");
            again.clear();
            for (WriteRequest r : batch) {
                if (!r.isDone()) {
                    r.fail(unknown);
                }
            }
        }
        return again;
    }

    private static void readOutcomes(ByteBuffer b, List<WriteRequest> batch, String bucket,
                                     List<WriteRequest> again) {
        for (WriteRequest r : batch) {
            byte kind = b.get();
            switch (kind) {
                case OK -> r.succeed(b.getLong());
                case KEY_EXISTS -> r.fail(new KeyExistsException(bucket, r.key, b.getLong()));
                case WRONG_REVISION -> {
                    long expected = b.getLong();
                    r.fail(new WrongRevisionException(bucket, r.key, expected, b.getLong()));
                }
                case MESSAGE -> {
                    byte type = b.get();
                    byte[] msg = new byte[b.getShort()];
                    b.get(msg);
                    String m = new String(msg, StandardCharsets.UTF_8);
                    r.fail(switch (type) {
                        case TOO_LARGE -> new ValueTooLargeException(m);
                        case FULL -> new BucketFullException(m);
                        case UNKNOWN_BUCKET -> new UnknownBucketException(bucket);
                        default -> new StoreException(m);
                    });
                }
                case AGAIN -> again.add(r);
                default -> throw new IllegalStateException("unknown outcome " + kind);
            }
        }
    }

    /** Rewrites the outcomes of the operations from index {@code from} on as "make it again directly". */
    static void againFrom(ByteBuffer body, int at, int count, int from) {
        ByteBuffer b = body.duplicate().clear().position(at);
        for (int i = 0; i < count; i++) {
            if (i >= from) {
                b.put(AGAIN);
                continue;
            }
            byte kind = b.get();
            switch (kind) {
                case OK, KEY_EXISTS -> b.getLong();
                case WRONG_REVISION -> b.position(b.position() + 16);
                case MESSAGE -> {
                    b.get();
                    int len = b.getShort();
                    b.position(b.position() + len);
                }
                default -> {
                }
            }
        }
    }

    /**
     * The operations the outcomes say were accepted, in order, each as its index and its revision (a holder's claim,
     * read back by the next holder after the first died).
     */
    static List<long[]> accepted(ByteBuffer body, int at, int count) {
        ByteBuffer b = body.duplicate().clear().position(at);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte kind = b.get();
            switch (kind) {
                case OK -> out.add(new long[] {i, b.getLong()});
                case KEY_EXISTS -> b.getLong();
                case WRONG_REVISION -> b.position(b.position() + 16);
                case MESSAGE -> {
                    b.get();
                    int len = b.getShort();
                    b.position(b.position() + len);
                }
                default -> {
                }
            }
        }
        return out;
    }
}
