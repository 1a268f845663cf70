package dev.tend.kv;

/** A key or filter that breaks the key rules. */
public class InvalidKeyException extends InvalidInputException {
    public InvalidKeyException(String message) {
        super(message);
    }

    public InvalidKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
