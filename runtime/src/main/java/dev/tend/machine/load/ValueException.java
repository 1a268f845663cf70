package dev.tend.machine.load;

/** A value that cannot be converted; the message says why, in words for the person who wrote it. */
final class ValueException extends Exception {
    ValueException(String message) {
        super(message, null, false, false);
    }
}
