package dev.tend.machine.expression;

/** A compiled expression. Immutable and safe to evaluate from several threads at once. */
public interface Expression {

    /** The text it was compiled from. */
    String source();

    /**
     * Evaluates against {@code environment}, which must provide every variable and function the expression was compiled
     * against. Values are JSON-like: {@code null}, {@link Boolean}, {@link Long}, {@link Double}, {@link String},
     * {@link java.util.List}, {@link java.util.Map}.
     *
     * @throws EvaluationException when the evaluation fails (a type mismatch, a field of nil, a function's error)
     */
    Object evaluate(Environment environment) throws EvaluationException;

    /**
     * Evaluates to a boolean, as expr's {@code AsBool}.
     *
     * @throws EvaluationException when the evaluation fails or its value is not a boolean
     *                             ({@code expected bool, but got int})
     */
    default boolean test(Environment environment) throws EvaluationException {
        Object value = evaluate(environment);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new EvaluationException("expected bool, but got " + ValueTypes.name(value));
    }
}
