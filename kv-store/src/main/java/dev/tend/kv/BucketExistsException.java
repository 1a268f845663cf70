package dev.tend.kv;

/** A create of a bucket that already exists with a different configuration. */
public class BucketExistsException extends ConflictException {
    public BucketExistsException(String message) {
        super(message);
    }

    public BucketExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
