package dev.tend.kv;

/** An operation on a store or bucket handle that was closed. */
public class StoreClosedException extends StoreException {
    public StoreClosedException(String message) {
        super(message);
    }

    public StoreClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
