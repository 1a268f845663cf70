package dev.tend.kv;

/** A write that would take the bucket past its max bucket size (JetStream's discard-new). */
public class BucketFullException extends ConflictException {
    public BucketFullException(String message) {
        super(message);
    }

    public BucketFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
