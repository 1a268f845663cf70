package dev.tend.fleet.spec;

/**
 * Writes JSON text as Go's {@code encoding/json} {@code Marshal} does, for the few shapes a specification has: objects
 * of string fields. Strings are escaped as Go escapes them: quote, backslash, and the control characters backspace,
 * form feed, newline, carriage return and tab with their short escapes; other control characters as a six-character
 * unicode escape with lower-case hex; {@code <}, {@code >} and {@code &} as unicode escapes too (Go's HTML escaping),
 * as are U+2028 and U+2029; and a lone surrogate (text Go would hold as invalid UTF-8) as the escape of U+FFFD.
 */
final class GoJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    GoJson beginObject() {
        out.append('{');
        first = true;
        return this;
    }

    GoJson endObject() {
        out.append('}');
        first = false;
        return this;
    }

    GoJson beginArray() {
        out.append('[');
        first = true;
        return this;
    }

    GoJson endArray() {
        out.append(']');
        first = false;
        return this;
    }

    /** Before an array element. */
    GoJson element() {
        if (!first) {
            out.append(',');
        }
        first = false;
        return this;
    }

    /** A string field; with {@code omitEmpty}, none when the value is empty (Go's {@code omitempty}). */
    GoJson field(String name, String value, boolean omitEmpty) {
        if (omitEmpty && value.isEmpty()) {
            return this;
        }
        element();
        string(name);
        out.append(':');
        string(value);
        return this;
    }

    GoJson string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(c);
                default -> {
                    if (c < 0x20) {
                        unicode(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        first = false;
        return this;
    }

    private void unicode(char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
