package dev.tend.machine.expression.jexl;

/**
 * An evaluation error with expr's meaning (a type mismatch, a field of nil, a function's failure). An
 * {@link ArithmeticException} so that JEXL passes it up as the cause of its own exception, which
 * {@link JexlExpression} unwraps.
 */
final class ExprError extends ArithmeticException {

    ExprError(String message) {
        super(message);
    }
}
