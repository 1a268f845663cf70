package dev.tend.machine.expression;

/**
 * An expression that cannot be compiled: a syntax error, an unknown name, or something of expr that Tend refuses. The
 * message is one line and ends with the position, e.g. {@code unknown name dat (column 1)}; {@link #reason()} is the
 * message without it.
 */
public class ExpressionSyntaxException extends Exception {

    private final String reason;
    private final int line;
    private final int column;

    /**
     * @param reason what is wrong, one line
     * @param line   1-based line within the expression's text (an expression may span lines)
     * @param column 1-based column within that line, in characters
     */
    public ExpressionSyntaxException(String reason, int line, int column) {
        super(reason + " (" + (line > 1 ? "line " + line + ", " : "") + "column " + column + ")");
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    public String reason() {
        return reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
