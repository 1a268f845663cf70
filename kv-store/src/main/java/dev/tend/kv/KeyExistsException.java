package dev.tend.kv;

/** A create of a key whose latest entry is a value. */
public class KeyExistsException extends WrongRevisionException {
    public KeyExistsException(String bucket, String key, long actual) {
        super("key \"" + key + "\" already exists in bucket " + bucket + " (revision " + actual + ")", 0, actual);
    }
}
