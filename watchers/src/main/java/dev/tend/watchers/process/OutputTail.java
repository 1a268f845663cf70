package dev.tend.watchers.process;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last {@code capacity} bytes of a command's output: memory stays bounded whatever the command writes, and a command
 * that writes little costs little (the buffer grows with the output up to the capacity, then wraps). Its lock guards
 * the buffer between the pump thread that writes it and the run that reads it.
 */
public final class OutputTail implements OutputSink {

    private static final int INITIAL = 512;

    private final int capacity;
    /** Linear (byte i of the output at index i) until the output outgrows it; a ring of {@code capacity} after that. */
    private byte[] buffer = new byte[0];
    private long total;

    public OutputTail(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (capacity == 0 || length == 0) {
            total += length;
            return;
        }
        long end = total + length;
        if (buffer.length < capacity && end > buffer.length) {
            // Still linear: grow to fit, at most to the capacity (then total < buffer.length, so nothing has wrapped).
            buffer = Arrays.copyOf(buffer, (int) Math.min(capacity, Math.max(end, Math.max(INITIAL, 2L * buffer.length))));
        }
        int skip = (int) Math.max(0, length - (long) buffer.length); // only the last buffer.length bytes can survive
        for (int i = offset + skip; i < offset + length; i++) {
            buffer[(int) ((total + i - offset) % buffer.length)] = bytes[i];
        }
        total = end;
    }

    /** How many bytes were written in all. */
    public synchronized long total() {
        return total;
    }

    /** The bytes kept, oldest first. */
    public synchronized byte[] bytes() {
        int kept = (int) Math.min(total, buffer.length);
        byte[] out = new byte[kept];
        long first = total - kept;
        for (int i = 0; i < kept; i++) {
            out[i] = buffer[(int) ((first + i) % buffer.length)];
        }
        return out;
    }

    /** The text kept (UTF-8; a character cut in two at the start shows as a replacement character). */
    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }
}
