package dev.tend.machine.expression;

import java.util.ServiceLoader;

/**
 * Compiles expressions in expr syntax. Implementations are immutable and thread-safe; {@link #standard()} finds the
 * runtime's.
 */
public interface ExpressionCompiler {

    /**
     * Compiles {@code source} for environments shaped as {@code declared}: every variable and function it names must be
     * there (or be one of the language's built-in functions, such as {@code len}). An expression without variables or
     * functions is evaluated at once, so that a constant that cannot work (e.g. {@code "a" < 1}) is refused here.
     *
     * @throws ExpressionSyntaxException with the position of the first problem
     */
    Expression compile(String source, Environment declared) throws ExpressionSyntaxException;

    /**
     * As {@link #compile}, for an expression that must give a boolean (expr's {@code AsBool}): a constant one that
     * gives anything else is refused ({@code expected bool, but got int}).
     */
    Expression compileBoolean(String source, Environment declared) throws ExpressionSyntaxException;

    /** The runtime's compiler, found with {@link ServiceLoader} beside this interface. */
    static ExpressionCompiler standard() {
        return ServiceLoader.load(ExpressionCompiler.class, ExpressionCompiler.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + ExpressionCompiler.class.getName()
                        + " implementation on the class path (META-INF/services)"));
    }
}
