package dev.tend.kv;

/** A bucket name that does not match {@code ^[a-zA-Z0-9_-]+$} or is too long. */
public class InvalidNameException extends InvalidInputException {
    public InvalidNameException(String message) {
        super(message);
    }

    public InvalidNameException(String message, Throwable cause) {
        super(message, cause);
    }
}
