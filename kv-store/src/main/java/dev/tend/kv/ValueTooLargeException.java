package dev.tend.kv;

/** A value longer than the bucket's max value size. */
public class ValueTooLargeException extends ConflictException {
    public ValueTooLargeException(String message) {
        super(message);
    }

    public ValueTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
