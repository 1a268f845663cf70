package dev.tend.machine.hiera;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code {{ expression }}} or {@code ${ expression }} in a text: where it starts and ends (the delimiters included)
 * and the expression inside, without the surrounding white space.
 *
 * @param start      index of the opening delimiter
 * @param end        index just past the closing delimiter
 * @param expression the text between the delimiters, stripped
 */
record Placeholder(int start, int end, String expression) {

    /**
     * The placeholders of {@code text}, in order. A closing delimiter inside a quoted string ({@code "..."},
     * {@code '...'} with {@code \} escapes, or {@code `...`}) does not close; in {@code ${ }} braces nest, so a map literal
     * may be written inside. {@code ${{} is a literal {@code $} before a {@code {{ }}}. An opening delimiter that is never
     * closed is text.
     */
    static List<Placeholder> find(String text) {
        List<Placeholder> found = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n - 1) {
            char c = text.charAt(i);
            boolean dollar;
            if (c == '{' && text.charAt(i + 1) == '{') {
                dollar = false;
            } else if (c == '$' && text.charAt(i + 1) == '{') {
                if (i + 2 < n && text.charAt(i + 2) == '{') {
                    i++; // "${{": the $ is text, the {{ opens
                    continue;
                }
                dollar = true;
            } else {
                i++;
                continue;
            }
            int start = i;
            int close = closing(text, start + 2, dollar);
            if (close < 0) {
                i = start + 2; // never closed: text
                continue;
            }
            int end = close + (dollar ? 1 : 2);
            found.add(new Placeholder(start, end, text.substring(start + 2, close).strip()));
            i = end;
        }
        return found;
    }

    /** The index of the closing delimiter of a placeholder whose expression begins at {@code from}, or -1. */
    private static int closing(String text, int from, boolean dollar) {
        char quote = 0;
        boolean escaped = false;
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (quote == '`') {
                if (c == '`') {
                    quote = 0;
                }
            } else if (quote != 0) {
                if (c == '\\') {
                    escaped = true;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (!dollar && c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                return i;
            } else if (dollar && c == '{') {
                depth++;
            } else if (dollar && c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
