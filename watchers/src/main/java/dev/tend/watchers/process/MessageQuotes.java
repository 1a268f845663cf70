package dev.tend.watchers.process;

/** Quotes a value (a command, a word, a variable) for a one-line log or error message. */
public final class MessageQuotes {

    private MessageQuotes() {
    }

    /** {@code "text"}, with quotes, backslashes and control characters escaped so a message stays on one line. */
    public static String quote(String text) {
        StringBuilder s = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\x%02x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
