package dev.tend.kv;

/** A watch whose next entries were removed (by compaction) before it read them; resubscribe. */
public class FellBehindException extends KvException {
    public FellBehindException(String message) {
        super(message);
    }

    public FellBehindException(String message, Throwable cause) {
        super(message, cause);
    }
}
