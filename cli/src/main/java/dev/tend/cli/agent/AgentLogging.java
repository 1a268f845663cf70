package dev.tend.cli.agent;

import ch.qos.logback.classic.Level;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.LogControl;
import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's log goes to stderr (a service manager keeps it) from INFO up, where the other commands show only
 * warnings: what loaded, what changed and every event are what an operator reads there. {@code --debug} stays DEBUG.
 * {@code TEND_LOG_LEVEL} and {@code TEND_LOG_FORMAT}, then the config file's
 * {@code log: {level: LEVEL, format: text|json}} (the user's file first, as for the store) set what the command line
 * ({@code --log-level}, {@code --log-format}, {@code --debug}) left alone.
 */
final class AgentLogging {

    static final String KEY = "log";
    static final String LEVEL_ENV = "TEND_LOG_LEVEL";
    static final String FORMAT_ENV = "TEND_LOG_FORMAT";
    private static final Set<String> FIELDS = Set.of("level", "format");

    /** The environment's or config file's level and format, either null when neither sets it. */
    record FileSettings(String level, String format) {
    }

    private AgentLogging() {
    }

    /**
     * Reads {@code TEND_LOG_LEVEL}, {@code TEND_LOG_FORMAT} and the {@code log:} of the config files, checking
     * their values.
     *
     * @throws CommandException (usage) naming the file when a value is not one of the levels or formats
     */
    static FileSettings read(Map<String, String> env, List<Path> configFiles) {
        String level = fromEnv(env, LEVEL_ENV, LogControl.LEVELS);
        String format = fromEnv(env, FORMAT_ENV, LogControl.FORMATS);
        for (Path config : configFiles) {
            Map<String, String> section;
            try {
                section = StoreLocator.section(config, KEY, FIELDS);
            } catch (InvalidInputException e) {
                throw new CommandException(ExitCodes.USAGE, e.getMessage(), e);
            }
            if (level == null && section.containsKey("level")) {
                level = checked(section.get("level"), LogControl.LEVELS, "log.level in " + config);
            }
            if (format == null && section.containsKey("format")) {
                format = checked(section.get("format"), LogControl.FORMATS, "log.format in " + config);
            }
        }
        return new FileSettings(level, format);
    }

    /** Applies the file's settings where the command line set nothing, then raises the level to INFO if unset. */
    static void apply(FileSettings file) {
        if (file.format() != null && !LogControl.formatFromCommandLine()) {
            LogControl.setFormat(file.format());
        }
        if (LogControl.levelFromCommandLine()) { // --log-level, or --debug
            return;
        }
        if (file.level() != null) {
            LogControl.setLevel(file.level());
        } else {
            atLeastInfo();
        }
    }

    static void atLeastInfo() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback
                && (logback.getLevel() == null || logback.getLevel().isGreaterOrEqual(Level.INFO))) {
            logback.setLevel(Level.INFO);
        }
    }

    private static String fromEnv(Map<String, String> env, String name, List<String> allowed) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : checked(value.strip(), allowed, name);
    }

    private static String checked(String value, List<String> allowed, String source) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new CommandException(ExitCodes.USAGE, source + " must be " + String.join(", ", allowed) + ", not \""
                    + value + "\"");
        }
        return v;
    }
}
