package dev.tend.cli.kv;

/** Asks the user a yes/no question on the terminal. */
@FunctionalInterface
public interface Prompter {

    /**
     * Asks {@code question}, shown as {@code ? <question> (y/N)}.
     *
     * @return the answer, or null when there is no terminal to ask on
     */
    Boolean confirm(String question);

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
