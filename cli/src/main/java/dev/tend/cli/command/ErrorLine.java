package dev.tend.cli.command;

/** How every {@code tend} command reports an error: one line on stderr, {@code tend: <message>}. */
public final class ErrorLine {

    private ErrorLine() {
    }

    /** The message on one line: surrounding blanks dropped, line breaks (and the blanks around them) made spaces. */
    public static String of(String message) {
        String m = message == null ? "" : message.strip();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
