package dev.tend.machine.expression;

/** An evaluation failed; the message is one line, e.g. {@code invalid operation: < (mismatched types nil and int)}. */
public class EvaluationException extends Exception {

    public EvaluationException(String message) {
        super(message);
    }

    public EvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
