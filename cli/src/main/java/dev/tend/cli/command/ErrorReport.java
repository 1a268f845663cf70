package dev.tend.cli.command;

import dev.tend.kv.KvException;

import java.io.PrintWriter;

/**
 * How a command's failure is reported, by picocli's path and the fast paths alike: one line on stderr,
 * {@code tend: <message>} (the message of a store error or a {@link CommandException}; {@code internal error: ...} for
 * anything else), the stack trace only with {@code --debug}, and the exit status of {@link ExitCodes#of}.
 */
public final class ErrorReport {

    private ErrorReport() {
    }

    /** Reports {@code error} a command threw on {@code err}; returns the exit status. */
    public static int report(PrintWriter err, Exception error, boolean debug) {
        String message = error instanceof KvException || error instanceof CommandException ? error.getMessage()
                : "internal error: " + error + (debug ? "" : " (run with --debug for details)");
        line(err, message, error, debug);
        return ExitCodes.of(error);
    }

    /** Writes {@code tend: <message>} on one line, and the stack trace with {@code debug}. */
    public static void line(PrintWriter err, String message, Exception error, boolean debug) {
        err.println("tend: " + ErrorLine.of(message));
        if (debug) {
            error.printStackTrace(err);
        }
        err.flush();
    }
}
