package dev.tend.machine.expression;

import java.util.List;

/**
 * A function callable from expressions, e.g. {@code get_fact("os.family")}. The number of arguments is checked at
 * compile time when the function is declared with the same bounds.
 *
 * @param name    the name expressions call it by
 * @param minArgs the fewest arguments it takes
 * @param maxArgs the most arguments it takes
 * @param body    what it does
 */
public record ExpressionFunction(String name, int minArgs, int maxArgs, Body body) {

    public ExpressionFunction {
        if (minArgs < 0 || maxArgs < minArgs) {
            throw new IllegalArgumentException("bad argument bounds for " + name + ": " + minArgs + ".." + maxArgs);
        }
    }

    /** A function of exactly {@code args} arguments. */
    public static ExpressionFunction of(String name, int args, Body body) {
        return new ExpressionFunction(name, args, args, body);
    }

    /** The function's code. Arguments and the result are JSON-like values (see {@link Expression#evaluate}). */
    @FunctionalInterface
    public interface Body {
        Object apply(List<Object> args) throws EvaluationException;
    }
}
