package dev.tend.cli.command;

import dev.tend.kv.InvalidInputException;

import java.io.PrintWriter;

/** Asks the user a yes/no question on the terminal: the confirmation every command that destroys asks first. */
@FunctionalInterface
public interface Prompter {

    /**
     * Asks {@code question}, shown as {@code ? <question> (y/N)}.
     *
     * @return the answer, or null when there is no terminal to ask on
     */
    Boolean confirm(String question);

    /**
     * Asks {@code question} unless {@code force}. Returns true to go on; false when the user said no (after printing
     * {@code Skipping} on {@code out}). With no terminal to ask on it refuses, as a usage error naming {@code what}
     * is to be done.
     */
    default boolean confirm(boolean force, String question, String what, PrintWriter out) {
        if (force) {
            return true;
        }
        Boolean answer = confirm(question);
        if (answer == null) {
            throw new InvalidInputException("not confirmed: cannot ask whether to " + what
                    + " without a terminal; add -f to do it without asking");
        }
        if (!answer) {
            out.println("Skipping");
            out.flush();
        }
        return answer;
    }

    /** Asks on {@link System#console()}; null when the process has no terminal. */
    static Prompter console() {
        return new ConsolePrompter();
    }

    /**
     * {@link #console()}'s prompter. A class rather than a lambda: every command makes one, and the first lambda of
     * a short command costs it milliseconds to set up.
     */
    final class ConsolePrompter implements Prompter {
        @Override
        public Boolean confirm(String question) {
            java.io.Console console = System.console();
            if (console == null) {
                return null;
            }
            String answer = console.readLine("? %s (y/N) ", question);
            if (answer == null) {
                return false;
            }
            String a = answer.strip().toLowerCase(java.util.Locale.ROOT);
            return a.equals("y") || a.equals("yes");
        }
    }
}
