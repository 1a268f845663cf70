package dev.tend.kv.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One open data file: positional reads and writes, and an explicit force to stable storage. */
interface DataFile extends Closeable {

    /** Reads into {@code dst} from {@code position}; returns the bytes read, -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    long size() throws IOException;

    void truncate(long size) throws IOException;

    /** Makes every byte written so far durable (fdatasync). */
    void force() throws IOException;

    /** Reads exactly {@code dst.remaining()} bytes or fails at end of file. */
    default void readFully(ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = read(dst, pos);
            if (n < 0) {
                throw new java.io.EOFException("end of file at offset " + pos);
            }
            pos += n;
        }
    }
}
