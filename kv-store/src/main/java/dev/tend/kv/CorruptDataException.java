package dev.tend.kv;

/** Data on disk that fails its checksum or framing; the message names the file and offset. */
public class CorruptDataException extends StoreException {
    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
