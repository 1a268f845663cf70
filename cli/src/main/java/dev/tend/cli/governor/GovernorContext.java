package dev.tend.cli.governor;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What the {@code governor} commands read and write: the environment (never {@code System.getenv} directly, for tests),
 * standard output and error, and how a confirmation is asked. {@code run} gives the command tend's own standard streams.
 */
public record GovernorContext(Map<String, String> env, PrintWriter out, PrintWriter err, Confirmation confirmation) {

    /** Asks the user a yes/no question. */
    @FunctionalInterface
    public interface Confirmation {
        /** @return the answer, or null when there is no terminal to ask on */
        Boolean confirm(String question);
    }
}
