package dev.tend.machine.template;

import dev.tend.machine.spi.TemplateException;

/** A template's text, and the one-line errors that point into it: {@code template "...": what at column 4}. */
record TemplateSource(String text) {

    private static final int QUOTED_LIMIT = 60;

    /** An error about the character at {@code offset} (0-based); the message is one line whatever the template. */
    TemplateException error(int offset, String message) {
        return error(offset, message, "");
    }

    /** As {@link #error(int, String)}, with a hint after the position, e.g. {@code (did you mean "lookup"?)}. */
    TemplateException error(int offset, String message, String hint) {
        return new TemplateException("template \"" + quoted() + "\": " + message + " at " + position(offset)
                + (hint.isEmpty() ? "" : " " + hint));
    }

    /** {@code column C}, or {@code line L column C} when the template has several lines; both 1-based. */
    String position(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = offset - lineStart + 1;
        return text.indexOf('\n') < 0 ? "column " + column : "line " + line + " column " + column;
    }

    /** The template with control characters and quotes escaped, shortened when long, so messages stay on one line. */
    private String quoted() {
        String shown = text.length() > QUOTED_LIMIT ? text.substring(0, QUOTED_LIMIT - 3) + "..." : text;
        StringBuilder s = new StringBuilder(shown.length() + 8);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\x%02x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }
}
