package dev.tend.kv;

/**
 * The root of every error the store raises. Messages are one line that a user can act on,
 * e.g. {@code unknown key "username" in bucket CFG}; they never contain a stack trace or a secret.
 */
public class KvException extends RuntimeException {
    public KvException(String message) {
        super(message);
    }

    public KvException(String message, Throwable cause) {
        super(message, cause);
    }
}
