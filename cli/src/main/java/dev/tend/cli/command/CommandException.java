package dev.tend.cli.command;

/**
 * A command's own failure, reported as {@code tend: <message>} with this exit status (see {@link ExitCodes}); for errors
 * that are not store errors (a machine file that does not load, no agent listening, ...).
 */
public final class CommandException extends RuntimeException {
    private final int exitCode;

    public CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CommandException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
