package dev.tend.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logging: logback, WARN and above to stderr (set up by {@link LogbackConfigurator}); {@code --debug} turns
 * on DEBUG.
 */
final class Logging {

    private Logging() {
    }

    /** Logs everything from DEBUG up. */
    static void enableDebug() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(Level.DEBUG);
        }
    }
}
