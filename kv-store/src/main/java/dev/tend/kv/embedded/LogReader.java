package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads records sequentially from a log between two offsets, in chunks. Stops at the first record that is torn
 * or fails its checksum and reports where.
 */
final class LogReader {
    private static final int CHUNK = 256 * 1024;

    private final DataFile file;
    private final long end;
    private long position;
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private long bufferStart;

    LogReader(DataFile file, long from, long to) {
        this.file = file;
        this.position = from;
        this.end = to;
        this.bufferStart = from;
    }

    /** The offset of the next record to read (after {@link #next()} returned null: of the bad or partial record). */
    long position() {
        return position;
    }

    /** The next intact record, or null at {@code to} or at a torn or corrupt record (then position() &lt; to). */
    LogRecord next() throws IOException {
        if (position >= end) {
            return null;
        }
        LogRecord r = tryDecode();
        if (r == null) {
            refill(LogFormat.FRAME_LENGTH);
            if (buffer.remaining() >= LogFormat.FRAME_LENGTH) {
                int bodyLength = buffer.getInt(buffer.position());
                // The first refill usually loaded the whole record already (it reads a chunk, or up to the end).
                if (bodyLength > 0 && bodyLength <= LogFormat.MAX_BODY_LENGTH
                        && buffer.remaining() < LogFormat.FRAME_LENGTH + bodyLength) {
                    refill(LogFormat.FRAME_LENGTH + bodyLength);
                }
            }
            r = tryDecode();
        }
        if (r != null) {
            position = r.end();
        }
        return r;
    }

    private LogRecord tryDecode() {
        int rel = (int) (position - bufferStart);
        if (rel < 0 || rel > buffer.limit()) {
            return null;
        }
        buffer.position(rel);
        LogRecord r = LogFormat.decode(buffer, position);
        if (r != null && r.end() > end) {
            return null;
        }
        return r;
    }

    /** Loads at least {@code need} bytes from position (or up to the end) into the buffer. */
    private void refill(int need) throws IOException {
        long available = end - position;
        int want = (int) Math.min(available, Math.max(need, CHUNK));
        if (buffer.capacity() < want) {
            buffer = ByteBuffer.allocate(want);
        }
        buffer.clear().limit(want);
        bufferStart = position;
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        buffer.flip();
    }
}
