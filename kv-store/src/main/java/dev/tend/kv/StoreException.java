package dev.tend.kv;

/** The store could not do its work: I/O errors, a full disk, a read-only file system, a closed store. */
public class StoreException extends KvException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
