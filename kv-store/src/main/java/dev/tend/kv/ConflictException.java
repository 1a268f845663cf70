package dev.tend.kv;

/** A write refused because of what the store holds: a wrong revision, a full bucket, an existing bucket. */
public class ConflictException extends KvException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
