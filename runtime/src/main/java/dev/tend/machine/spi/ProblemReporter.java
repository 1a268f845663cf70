package dev.tend.machine.spi;

/** Collects a watcher definition's problems; the runtime adds file, line and watcher name. */
@FunctionalInterface
public interface ProblemReporter {

    /**
     * An error: the machine does not load.
     *
     * @param property the property concerned (its declared name), or {@code null} for the watcher as a whole
     * @param message  what is wrong, one line
     */
    void report(String property, String message);

    /**
     * A warning: the machine loads and the warning is shown ({@code tend machine validate}, the agent's log,
     * {@code tend machine info}); {@code tend machine validate --strict} counts it as an error. For what the reference
     * accepts but ignores, e.g. a common field the type never uses. The runtime's reporter keeps it; this default, for
     * reporters that collect errors only, drops it.
     *
     * @param property the property concerned (its declared name), or {@code null} for the watcher as a whole
     * @param message  what is likely wrong, one line
     */
    default void warn(String property, String message) {
    }
}
