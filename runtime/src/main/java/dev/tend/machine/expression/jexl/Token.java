package dev.tend.machine.expression.jexl;

/**
 * One token of an expression in expr syntax.
 *
 * @param kind  what it is
 * @param text  the operator or identifier as written; a string's decoded value; a number's text
 * @param value a number's value ({@link Long} or {@link Double}), else {@code null}
 * @param start offset of its first character in the source
 */
record Token(Kind kind, String text, Object value, int start) {

    enum Kind { IDENTIFIER, NUMBER, STRING, OPERATOR, END }

    boolean is(String operator) {
        return kind == Kind.OPERATOR && text.equals(operator);
    }

    boolean isWord(String word) {
        return kind == Kind.IDENTIFIER && text.equals(word);
    }
}
