package dev.tend.kv;

/** A request was rejected before it touched the store: a bad name, key, filter or config. */
public class InvalidInputException extends KvException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
