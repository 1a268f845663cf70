package dev.tend.kv;

/** Files written in a format this version does not read (a newer one, say). */
public class UnsupportedFormatException extends StoreException {
    public UnsupportedFormatException(String message) {
        super(message);
    }

    public UnsupportedFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
