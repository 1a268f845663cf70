package dev.tend.cli.agent;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's log goes to stderr (a service manager keeps it) from INFO up, where the other commands show only
 * warnings: what loaded, what changed and every event are what an operator reads there. {@code --debug} stays DEBUG.
 */
final class AgentLogging {

    private AgentLogging() {
    }

    static void atLeastInfo() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback
                && (logback.getLevel() == null || logback.getLevel().isGreaterOrEqual(Level.INFO))) {
            logback.setLevel(Level.INFO);
        }
    }
}
