package dev.tend.fleet.spec;

/** A specification, key or signature that cannot be used; the message is one line that says why. */
public final class SpecException extends Exception {

    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }
}
