package dev.tend.machine.expression.jexl;

/** JEXL literals. */
final class JexlText {

    private JexlText() {
    }

    /** A single-quoted JEXL string of {@code value}: quotes, backslashes and anything not printable ASCII escaped. */
    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '\'' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
