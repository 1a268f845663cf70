package dev.tend.machine.load;

import java.util.Collection;
import java.util.stream.Collectors;

/** Small helpers for messages. */
final class MessageText {

    private MessageText() {
    }

    /** Keeps what a user wrote on one line and short inside a message. */
    static String shorten(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                b.append("\\n");
            } else if (Character.isISOControl(cp)) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        String t = b.toString();
        return t.length() <= 60 ? t : t.substring(0, 28) + "..." + t.substring(t.length() - 28);
    }

    /** {@code "x"} with the text shortened. */
    static String quote(String s) {
        return '"' + shorten(s) + '"';
    }

    /** {@code a, b, c}. */
    static String list(Collection<String> items) {
        return items.stream().collect(Collectors.joining(", "));
    }
}
