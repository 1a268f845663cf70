package dev.tend.machine.expression.jexl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits expr source into tokens with their offsets: identifiers, numbers (decimal, {@code 0x}, {@code 0o}, {@code 0b},
 * {@code _} separators, floats with exponents), strings (double or single quotes with Go's escapes, backquoted raw
 * strings), operators, and skips white space and comments ({@code //}, {@code /* *}{@code /}).
 */
final class ExprLexer {

    /** Longest first. */
    private static final String[] OPERATORS = {"==", "!=", "<=", ">=", "&&", "||", "??", "?.", "..", "**",
            "<", ">", "+", "-", "*", "/", "%", "^", "!", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}", "|", ";",
            "#", "=", "&", "~", "@"};

    private final String source;
    private int at;

    private ExprLexer(String source) {
        this.source = source;
    }

    static List<Token> tokens(String source) throws LexException {
        return new ExprLexer(source).all();
    }

    /** A character sequence that is no token, at an offset. */
    static final class LexException extends Exception {
        final int offset;

        LexException(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    private List<Token> all() throws LexException {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipBlank();
            if (at >= source.length()) {
                out.add(new Token(Token.Kind.END, "", null, at));
                return out;
            }
            out.add(next());
        }
    }

    private void skipBlank() throws LexException {
        while (at < source.length()) {
            char c = source.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (source.startsWith("//", at)) {
                int end = source.indexOf('\n', at);
                at = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", at)) {
                int end = source.indexOf("*/", at + 2);
                if (end < 0) {
                    throw new LexException("unterminated comment", at);
                }
                at = end + 2;
            } else {
                return;
            }
        }
    }

    private Token next() throws LexException {
        int start = at;
        char c = source.charAt(at);
        if (Character.isLetter(c) || c == '_' || c == '$') {
            if ((c == 'b' || c == 'B') && at + 1 < source.length() && "\"'".indexOf(source.charAt(at + 1)) >= 0) {
                throw new LexException("bytes literals are not supported", start);
            }
            at++;
            while (at < source.length() && (Character.isLetterOrDigit(source.charAt(at)) || source.charAt(at) == '_')) {
                at++;
            }
            return new Token(Token.Kind.IDENTIFIER, source.substring(start, at), null, start);
        }
        if (Character.isDigit(c) || (c == '.' && at + 1 < source.length() && Character.isDigit(source.charAt(at + 1)))) {
            return number();
        }
        if (c == '"' || c == '\'') {
            return new Token(Token.Kind.STRING, quoted(c), null, start);
        }
        if (c == '`') {
            int end = source.indexOf('`', at + 1);
            if (end < 0) {
                throw new LexException("literal not terminated", start);
            }
            at = end + 1;
            return new Token(Token.Kind.STRING, source.substring(start + 1, end), null, start);
        }
        for (String op : OPERATORS) {
            if (source.startsWith(op, at)) {
                at += op.length();
                return new Token(Token.Kind.OPERATOR, op, null, start);
            }
        }
        throw new LexException("unrecognized character: " + describe(source.codePointAt(at)), start);
    }

    private Token number() throws LexException {
        int start = at;
        if (source.startsWith("0x", at) || source.startsWith("0X", at)) {
            return radix(start, 16);
        }
        if (source.startsWith("0o", at) || source.startsWith("0O", at)) {
            return radix(start, 8);
        }
        if (source.startsWith("0b", at) || source.startsWith("0B", at)) {
            return radix(start, 2);
        }
        boolean isFloat = false;
        digits();
        if (at < source.length() && source.charAt(at) == '.' && !source.startsWith("..", at)) {
            isFloat = true;
            at++;
            digits();
        }
        if (at < source.length() && (source.charAt(at) == 'e' || source.charAt(at) == 'E')) {
            isFloat = true;
            at++;
            if (at < source.length() && (source.charAt(at) == '+' || source.charAt(at) == '-')) {
                at++;
            }
            int before = at;
            digits();
            if (at == before) {
                throw new LexException("bad number " + source.substring(start, at), start);
            }
        }
        if (at < source.length() && (Character.isLetter(source.charAt(at)) || source.charAt(at) == '_')) {
            throw new LexException("bad number " + source.substring(start, at + 1), start);
        }
        String text = source.substring(start, at);
        String clean = text.replace("_", "");
        try {
            Object value = isFloat ? (Object) Double.parseDouble(clean) : (Object) Long.parseLong(clean);
            return new Token(Token.Kind.NUMBER, text, value, start);
        } catch (NumberFormatException e) {
            throw new LexException("bad number " + text, start);
        }
    }

    private Token radix(int start, int radix) throws LexException {
        at += 2;
        int digitsStart = at;
        while (at < source.length() && (Character.digit(source.charAt(at), radix) >= 0 || source.charAt(at) == '_')) {
            at++;
        }
        String text = source.substring(start, at);
        try {
            return new Token(Token.Kind.NUMBER, text, Long.parseLong(source.substring(digitsStart, at).replace("_", ""),
                    radix), start);
        } catch (NumberFormatException e) {
            throw new LexException("bad number " + text, start);
        }
    }

    private void digits() {
        while (at < source.length() && (Character.isDigit(source.charAt(at)) || source.charAt(at) == '_')) {
            at++;
        }
    }

    /** A quoted string with Go's escapes, decoded. */
    private String quoted(char quote) throws LexException {
        int start = at;
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= source.length() || source.charAt(at) == '\n') {
                throw new LexException("literal not terminated", start);
            }
            char c = source.charAt(at++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= source.length()) {
                throw new LexException("literal not terminated", start);
            }
            int escape = at - 1;
            char e = source.charAt(at++);
            switch (e) {
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case '\\', '\'', '"' -> out.append(e);
                case 'x' -> out.appendCodePoint(hex(2, escape));
                case 'u' -> out.appendCodePoint(hex(4, escape));
                case 'U' -> out.appendCodePoint(hex(8, escape));
                default -> {
                    if (e >= '0' && e <= '7' && at + 1 < source.length()) {
                        String octal = source.substring(at - 1, at + 2);
                        try {
                            out.append((char) Integer.parseInt(octal, 8));
                            at += 2;
                        } catch (NumberFormatException x) {
                            throw new LexException("invalid char escape", escape);
                        }
                    } else {
                        throw new LexException("invalid char escape", escape);
                    }
                }
            }
        }
    }

    private int hex(int length, int escape) throws LexException {
        if (at + length > source.length()) {
            throw new LexException("invalid char escape", escape);
        }
        try {
            int cp = Integer.parseUnsignedInt(source.substring(at, at + length), 16);
            if (!Character.isValidCodePoint(cp)) {
                throw new LexException("invalid char escape", escape);
            }
            at += length;
            return cp;
        } catch (NumberFormatException e) {
            throw new LexException("invalid char escape", escape);
        }
    }

    private static String describe(int codePoint) {
        return codePoint < 0x20 || codePoint == 0x7f ? String.format("U+%04X", codePoint)
                : "'" + new String(Character.toChars(codePoint)) + "'";
    }
}
