package dev.tend.cli.command;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.NotFoundException;
import picocli.CommandLine;

/** The exit status of every {@code tend} command. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Something asked for does not exist: an unknown key or bucket. */
    public static final int NOT_FOUND = 1;
    /** A usage or validation error, found before anything was touched. */
    public static final int USAGE = 2;
    /** Any other failure: the store is unavailable, an I/O error, a bug. */
    public static final int FAILURE = 3;

    private ExitCodes() {
    }

    /** The exit status for an error a command threw. */
    public static int of(Throwable error) {
        if (error instanceof CommandException c) {
            return c.exitCode();
        }
        if (error instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (error instanceof InvalidInputException || error instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        return FAILURE;
    }
}
