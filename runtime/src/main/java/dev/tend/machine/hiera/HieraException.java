package dev.tend.machine.hiera;

/**
 * A Tiny Hiera document that cannot be resolved: a malformed {@code hierarchy}, an unknown merge strategy, an expression
 * that does not compile or fails. The message is one line and says where, e.g.
 * {@code hierarchy.order[0] "env:{{ lookup('facts.env' }}": expected ) (column 22)}.
 */
public class HieraException extends Exception {

    public HieraException(String message) {
        super(message);
    }
}
