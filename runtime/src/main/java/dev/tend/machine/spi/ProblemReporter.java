package dev.tend.machine.spi;

/** Collects a watcher definition's problems; the runtime adds file, line and watcher name. */
@FunctionalInterface
public interface ProblemReporter {

    /**
     * @param property the property concerned (its declared name), or {@code null} for the watcher as a whole
     * @param message  what is wrong, one line
     */
    void report(String property, String message);
}
