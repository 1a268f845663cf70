package dev.tend.observe.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A scrape's bytes on their way to the client: kept in a buffer of {@value #SIZE} bytes and passed on to the stream
 * each time it fills, so an exposition of thousands of series is never held whole. A value is written as the client's
 * text writer writes a double ({@link Double#toString}, {@code +Inf}, {@code -Inf}) followed by a line feed; whole
 * numbers from 0 to 10^7 (counts, 0 and 1) without making a string. One per scrape; not thread-safe.
 */
final class TextOut {

    static final int SIZE = 8192;
    /** Below it {@link Double#toString} writes a whole number as its digits and {@code .0}. */
    private static final double PLAIN_LIMIT = 1e7;

    private final OutputStream out;
    private final byte[] buffer = new byte[SIZE];
    private int used;

    TextOut(OutputStream out) {
        this.out = out;
    }

    void write(byte[] bytes) throws IOException {
        if (bytes.length > SIZE - used) {
            flushBuffer();
            if (bytes.length > SIZE) {
                out.write(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, used, bytes.length);
        used += bytes.length;
    }

    /** Writes {@code value} and the line feed that ends the series. */
    void value(double value) throws IOException {
        if (SIZE - used < 32) { // the longest double's text is 24 characters
            flushBuffer();
        }
        long whole = (long) value;
        if (whole == value && value >= 0 && value < PLAIN_LIMIT && !(value == 0 && 1 / value < 0)) {
            int end = used + digits(whole);
            for (int i = end - 1; i >= used; i--) {
                buffer[i] = (byte) ('0' + whole % 10);
                whole /= 10;
            }
            used = end;
            buffer[used++] = '.';
            buffer[used++] = '0';
        } else {
            String s = value == Double.POSITIVE_INFINITY ? "+Inf"
                    : value == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(value);
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, buffer, used, b.length);
            used += b.length;
        }
        buffer[used++] = '\n';
    }

    /** Passes what is buffered on to the stream (without flushing the stream). */
    void flushBuffer() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
