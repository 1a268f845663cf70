package dev.tend.watchers.kv;

/**
 * A value read from the store that cannot become data: with {@code hiera_config}, a JSON object that is not a Tiny
 * Hiera document Tend can resolve. The message is one line and names the bucket and key. The watcher logs it, keeps the
 * data it had and fires {@code fail_transition}, as on any read error.
 */
final class InvalidValueException extends RuntimeException {

    InvalidValueException(String message) {
        super(message, null, false, false);
    }
}
