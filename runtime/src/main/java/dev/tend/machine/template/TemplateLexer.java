package dev.tend.machine.template;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.template.Token.Kind;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text and the tokens of its actions, the way Go's text/template lexer does: a <code>{{- </code>
 * or <code> -}}</code> trim marker removes the whitespace before or after an action, comments (slash-star to star-slash,
 * right inside the braces) vanish, and a string inside an action may hold <code>}}</code>.
 */
final class TemplateLexer {

    private final TemplateSource source;
    private final String in;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private TemplateLexer(TemplateSource source) {
        this.source = source;
        this.in = source.text();
    }

    static List<Token> lex(TemplateSource source) throws TemplateException {
        TemplateLexer lexer = new TemplateLexer(source);
        lexer.run();
        return lexer.tokens;
    }

    private void run() throws TemplateException {
        boolean trimNextText = false;
        while (pos < in.length()) {
            int open = in.indexOf("{{", pos);
            int textEnd = open < 0 ? in.length() : open;
            boolean trimLeft = open >= 0 && in.startsWith("-", open + 2) && isSpace(at(open + 3));
            String text = in.substring(pos, textEnd);
            if (trimNextText) {
                text = trimLeading(text);
            }
            if (trimLeft) {
                text = trimTrailing(text);
            }
            if (!text.isEmpty()) {
                tokens.add(Token.of(Kind.TEXT, text, pos));
            }
            if (open < 0) {
                return;
            }
            pos = open + 2 + (trimLeft ? 2 : 0);
            trimNextText = in.startsWith("/*", pos) ? comment(open) : action(open);
        }
    }

    /** A comment that starts right after <code>{{</code> (or <code>{{- </code>); returns whether it ends with a trim marker. */
    private boolean comment(int open) throws TemplateException {
        int end = in.indexOf("*/", pos + 2);
        if (end < 0) {
            throw source.error(open, "unclosed comment");
        }
        pos = end + 2;
        if (in.startsWith("}}", pos)) {
            pos += 2;
            return false;
        }
        if (isSpace(at(pos)) && in.startsWith("-}}", pos + 1)) {
            pos += 4;
            return true;
        }
        throw source.error(end, "comment ends before closing delimiter");
    }

    /** The tokens of one action; returns whether it ends with a trim marker. */
    private boolean action(int open) throws TemplateException {
        tokens.add(Token.of(Kind.OPEN, "{{", open));
        while (true) {
            if (pos >= in.length()) {
                throw source.error(open, "unclosed action (missing \"}}\")");
            }
            char c = in.charAt(pos);
            if (in.startsWith("}}", pos)) {
                tokens.add(Token.of(Kind.CLOSE, "}}", pos));
                pos += 2;
                return false;
            }
            if (isSpace(c)) {
                int start = pos;
                while (isSpace(at(pos))) {
                    pos++;
                }
                if (in.startsWith("-}}", pos)) {
                    tokens.add(Token.of(Kind.CLOSE, "}}", start));
                    pos += 3;
                    return true;
                }
                continue;
            }
            int start = pos;
            switch (c) {
                case '|' -> single(Kind.PIPE);
                case '(' -> single(Kind.LEFT_PAREN);
                case ')' -> single(Kind.RIGHT_PAREN);
                case '"' -> quoted();
                case '`' -> raw();
                case '\'' -> throw source.error(start, "character constants are not supported");
                case '$' -> throw source.error(start, "variables are not supported (only function calls, literals and pipes are)");
                case '.' -> {
                    if (Character.isDigit(at(pos + 1))) {
                        number();
                    } else if (isNameStart(at(pos + 1))) {
                        field();
                    } else {
                        single(Kind.DOT);
                    }
                }
                default -> {
                    if (c == '+' || c == '-' || Character.isDigit(c)) {
                        number();
                    } else if (isNameStart(c)) {
                        identifier();
                    } else if (c == ':' || c == '=') {
                        throw source.error(start, "variables are not supported (only function calls, literals and pipes are)");
                    } else {
                        throw source.error(start, "unexpected " + describe(c) + " in action");
                    }
                }
            }
        }
    }

    private void single(Kind kind) {
        tokens.add(Token.of(kind, String.valueOf(in.charAt(pos)), pos));
        pos++;
    }

    private void field() {
        int start = pos;
        do {
            pos++;
            while (isNameChar(at(pos))) {
                pos++;
            }
        } while (at(pos) == '.' && isNameStart(at(pos + 1)));
        tokens.add(Token.of(Kind.FIELD, in.substring(start, pos), start));
    }

    private void identifier() {
        int start = pos;
        while (isNameChar(at(pos))) {
            pos++;
        }
        String word = in.substring(start, pos);
        switch (word) {
            case "true", "false" -> tokens.add(new Token(Kind.BOOLEAN, word, Boolean.valueOf(word), start));
            case "nil" -> tokens.add(Token.of(Kind.NIL, word, start));
            default -> tokens.add(Token.of(Kind.IDENTIFIER, word, start));
        }
    }

    /** Go's number syntax: sign, 0x/0o/0b prefixes, a leading 0 for octal, underscores, fractions and exponents. */
    private void number() throws TemplateException {
        int start = pos;
        if (at(pos) == '+' || at(pos) == '-') {
            pos++;
        }
        int radix = 10;
        boolean decimal = false;
        if (at(pos) == '0' && "xXoObB".indexOf(at(pos + 1)) >= 0) {
            char p = Character.toLowerCase(at(pos + 1));
            radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
            pos += 2;
            digits(radix);
        } else {
            digits(10);
            if (at(pos) == '.') {
                decimal = true;
                pos++;
                digits(10);
            }
            if (at(pos) == 'e' || at(pos) == 'E') {
                decimal = true;
                pos++;
                if (at(pos) == '+' || at(pos) == '-') {
                    pos++;
                }
                digits(10);
            }
        }
        if (isNameChar(at(pos)) || at(pos) == '.') {
            while (isNameChar(at(pos)) || at(pos) == '.') {
                pos++;
            }
            throw source.error(start, "bad number syntax: \"" + in.substring(start, pos) + "\"");
        }
        String text = in.substring(start, pos);
        tokens.add(new Token(Kind.NUMBER, text, numberValue(text, radix, decimal, start), start));
    }

    private void digits(int radix) {
        while (Character.digit(at(pos), radix) >= 0 || (at(pos) == '_' && Character.digit(at(pos + 1), radix) >= 0)) {
            pos++;
        }
    }

    private Object numberValue(String text, int radix, boolean decimal, int start) throws TemplateException {
        String clean = text.replace("_", "");
        boolean negative = clean.startsWith("-");
        String unsigned = clean.startsWith("+") || negative ? clean.substring(1) : clean;
        try {
            if (decimal) {
                return Double.parseDouble(clean);
            }
            String digits = radix == 10 ? unsigned : unsigned.substring(2);
            if (radix == 10 && digits.length() > 1 && digits.startsWith("0")) {
                radix = 8; // Go: a leading 0 means octal
            }
            if (digits.isEmpty()) {
                throw new NumberFormatException();
            }
            try {
                long value = Long.parseLong(digits, radix);
                return negative ? -value : value;
            } catch (NumberFormatException tooBig) {
                double value = new java.math.BigInteger(digits, radix).doubleValue();
                return negative ? -value : value;
            }
        } catch (NumberFormatException e) {
            throw source.error(start, "bad number syntax: \"" + text + "\"");
        }
    }

    private void raw() throws TemplateException {
        int start = pos;
        int end = in.indexOf('`', pos + 1);
        if (end < 0) {
            throw source.error(start, "unterminated raw string");
        }
        pos = end + 1;
        tokens.add(new Token(Kind.STRING, in.substring(start, pos), in.substring(start + 1, end), start));
    }

    /** A double-quoted string with Go's escapes; {@code \x} and octal escapes are bytes of UTF-8, as in Go. */
    private void quoted() throws TemplateException {
        int start = pos;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pos++;
        while (true) {
            char c = at(pos);
            if (pos >= in.length() || c == '\n') {
                throw source.error(start, "unterminated quoted string");
            }
            if (c == '"') {
                pos++;
                break;
            }
            if (c != '\\') {
                int cp = in.codePointAt(pos);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                pos += Character.charCount(cp);
                continue;
            }
            escape(bytes);
        }
        tokens.add(new Token(Kind.STRING, in.substring(start, pos), bytes.toString(StandardCharsets.UTF_8), start));
    }

    private void escape(ByteArrayOutputStream bytes) throws TemplateException {
        int start = pos;
        char e = at(pos + 1);
        pos += 2;
        switch (e) {
            case 'a' -> bytes.write(7);
            case 'b' -> bytes.write('\b');
            case 'f' -> bytes.write('\f');
            case 'n' -> bytes.write('\n');
            case 'r' -> bytes.write('\r');
            case 't' -> bytes.write('\t');
            case 'v' -> bytes.write(11);
            case '\\' -> bytes.write('\\');
            case '"' -> bytes.write('"');
            case 'x' -> bytes.write(hex(2, start));
            case 'u' -> bytes.writeBytes(codePoint(hex(4, start), start));
            case 'U' -> bytes.writeBytes(codePoint(hex(8, start), start));
            default -> {
                if (e >= '0' && e <= '7') {
                    pos--;
                    int value = 0;
                    for (int i = 0; i < 3; i++, pos++) {
                        int d = Character.digit(at(pos), 8);
                        if (d < 0) {
                            throw source.error(start, "invalid octal escape in string");
                        }
                        value = value * 8 + d;
                    }
                    if (value > 255) {
                        throw source.error(start, "invalid octal escape in string");
                    }
                    bytes.write(value);
                } else {
                    String hint = e == '.' ? " (to escape a dot in a lookup path write \\\\. or use a `raw string`)" : "";
                    throw source.error(start, "invalid escape \"\\" + (pos - 1 < in.length() ? e : "") + "\" in string" + hint);
                }
            }
        }
    }

    private int hex(int count, int start) throws TemplateException {
        int value = 0;
        for (int i = 0; i < count; i++, pos++) {
            int d = Character.digit(at(pos), 16);
            if (d < 0) {
                throw source.error(start, "invalid escape in string: expected " + count + " hexadecimal digits");
            }
            value = value * 16 + d;
        }
        return value;
    }

    private byte[] codePoint(int cp, int start) throws TemplateException {
        if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw source.error(start, "invalid Unicode code point in string escape");
        }
        return new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    }

    /** The character at {@code i}, or 0 past the end (which matches no class below). */
    private char at(int i) {
        return i < in.length() ? in.charAt(i) : 0;
    }

    /** Go trims only these four, not every Unicode space. */
    private static String trimLeading(String text) {
        int i = 0;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return text.substring(i);
    }

    private static String trimTrailing(String text) {
        int i = text.length();
        while (i > 0 && isSpace(text.charAt(i - 1))) {
            i--;
        }
        return text.substring(0, i);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String describe(char c) {
        return Character.isISOControl(c) ? String.format("character U+%04X", (int) c) : "character '" + c + "'";
    }
}
