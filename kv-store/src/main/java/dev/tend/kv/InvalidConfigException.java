package dev.tend.kv;

/** A bucket configuration outside the limits (history 1..64, replicas 1..5, ...). */
public class InvalidConfigException extends InvalidInputException {
    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
