package dev.tend.kv;

/** Something asked for does not exist: a bucket, a key or a revision. */
public class NotFoundException extends KvException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
