package dev.tend.machine.template;

/**
 * One lexical item of a template.
 *
 * @param kind   what it is
 * @param text   the source text (for identifiers, variables and fields: the name as written)
 * @param value  the decoded value of a literal (String, Long, Double, Boolean, or null for {@code nil}); else null
 * @param offset where it starts in the template, 0-based
 */
record Token(Kind kind, String text, Object value, int offset) {

    enum Kind {
        /** Literal text between actions, already trimmed by any trim markers. */
        TEXT,
        /** <code>{{</code> */
        OPEN,
        /** <code>}}</code> */
        CLOSE,
        IDENTIFIER,
        STRING,
        NUMBER,
        BOOLEAN,
        NIL,
        /** {@code .} alone. */
        DOT,
        /** {@code .Name} (field access: there is no dot context, so it is refused by the parser). */
        FIELD,
        PIPE,
        LEFT_PAREN,
        RIGHT_PAREN
    }

    static Token of(Kind kind, String text, int offset) {
        return new Token(kind, text, null, offset);
    }

    /** How the token reads in a message. */
    String describe() {
        return switch (kind) {
            case CLOSE -> "\"}}\"";
            case OPEN -> "\"{{\"";
            case PIPE -> "\"|\"";
            case LEFT_PAREN -> "\"(\"";
            case RIGHT_PAREN -> "\")\"";
            case STRING -> "string " + text;
            case NUMBER -> "number " + text;
            default -> "\"" + text + "\"";
        };
    }
}
