package dev.tend.kv;

/** Something this backend cannot do (replicas on the embedded store, say); the message names what can. */
public class UnsupportedFeatureException extends InvalidInputException {
    public UnsupportedFeatureException(String message) {
        super(message);
    }

    public UnsupportedFeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
