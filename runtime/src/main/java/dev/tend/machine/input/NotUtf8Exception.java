package dev.tend.machine.input;

/** A file's bytes are not UTF-8 text; the message says what they are, {@link #line()} where. */
public final class NotUtf8Exception extends Exception {

    private final int line;

    NotUtf8Exception(int line, String message) {
        super(message);
        this.line = line;
    }

    /** The 1-based line of the first byte that is not UTF-8, or 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }
}
