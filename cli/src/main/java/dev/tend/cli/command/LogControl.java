package dev.tend.cli.command;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The CLI's logging: logback, WARN and above to stderr (set up by {@code dev.tend.cli.LogbackConfigurator}).
 * {@code --debug} turns on DEBUG; {@code --log-level error|warn|info|debug|trace} sets the level and
 * {@code --log-format text|json} the line (text, or JSON through the stderr appender's {@link JsonSwitch}), on every
 * command. What the command line set is kept in the logger
 * context's properties ({@link #LEVEL_PROPERTY}, {@link #FORMAT_PROPERTY}), so that the agent knows not to change it
 * (its default level and its config file's {@code log:} apply only to what the command line left alone).
 */
public final class LogControl {

    public static final String LEVEL_OPTION = "--log-level";
    public static final String FORMAT_OPTION = "--log-format";
    public static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
    public static final List<String> FORMATS = List.of("text", "json");
    static final String LEVEL_PROPERTY = "tend.log.level";
    static final String FORMAT_PROPERTY = "tend.log.format";

    /** The appender that writes the log, which can switch between the text line and JSON lines. */
    public interface JsonSwitch {
        void json(boolean json);
    }

    private LogControl() {
    }

    /** Logs everything from DEBUG up ({@code --debug}, which counts as the command line's level). */
    public static void enableDebug() {
        setLevel("debug");
        property(LEVEL_PROPERTY, "debug");
    }

    /**
     * Applies the {@code --log-level} and {@code --log-format} of {@code args} (before a {@code --}) and remembers them
     * as the command line's; a value that is not valid is left to picocli, which refuses it.
     *
     * @return whether {@code args} have either option
     */
    public static boolean fromCommandLine(String... args) {
        context().ifPresent(c -> { // what an earlier command line of this process set no longer counts
            c.putProperty(LEVEL_PROPERTY, "");
            c.putProperty(FORMAT_PROPERTY, "");
        });
        Optional<String> level = option(LEVEL_OPTION, args).filter(v -> LEVELS.contains(v.toLowerCase(Locale.ROOT)));
        Optional<String> format = option(FORMAT_OPTION, args).filter(v -> FORMATS.contains(v.toLowerCase(Locale.ROOT)));
        level.ifPresent(l -> {
            setLevel(l);
            property(LEVEL_PROPERTY, l);
        });
        format.ifPresent(f -> {
            setFormat(f);
            property(FORMAT_PROPERTY, f);
        });
        return option(LEVEL_OPTION, args).isPresent() || option(FORMAT_OPTION, args).isPresent();
    }

    /** Whether the command line set the level ({@code --log-level} or {@code --debug}). */
    public static boolean levelFromCommandLine() {
        return context().map(c -> isSet(c.getProperty(LEVEL_PROPERTY))).orElse(false);
    }

    /**
     * The level {@code args} set, as the CLI's start applies it: {@code debug} with {@code --debug}, else a valid
     * {@code --log-level}. Read from the arguments rather than the logger context, which commands run in one JVM (the
     * tests) share.
     */
    public static Optional<String> levelIn(String... args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--debug")) {
                return Optional.of("debug");
            }
        }
        return option(LEVEL_OPTION, args).map(v -> v.toLowerCase(Locale.ROOT)).filter(LEVELS::contains);
    }

    /** The format {@code args} set ({@code --log-format}), if valid; as {@link #levelIn}. */
    public static Optional<String> formatIn(String... args) {
        return option(FORMAT_OPTION, args).map(v -> v.toLowerCase(Locale.ROOT)).filter(FORMATS::contains);
    }

    /** Whether the command line set the format ({@code --log-format}). */
    public static boolean formatFromCommandLine() {
        return context().map(c -> isSet(c.getProperty(FORMAT_PROPERTY))).orElse(false);
    }

    /** Sets the root level: one of {@link #LEVELS}, any case. */
    public static void setLevel(String level) {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.WARN));
        }
    }

    /** Writes the log's lines as {@code text} or {@code json} ({@link #FORMATS}, any case). */
    public static void setFormat(String format) {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            Appender<?> appender = logback.getAppender("STDERR");
            if (appender instanceof JsonSwitch stderr) {
                stderr.json(format.equalsIgnoreCase("json"));
            }
        }
    }

    /** The value of {@code name} in {@code args}, as {@code name VALUE} or {@code name=VALUE}, before a {@code --}. */
    public static Optional<String> option(String name, String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals(name) && i + 1 < args.length) {
                return Optional.of(args[i + 1]);
            }
            if (arg.startsWith(name + "=")) {
                return Optional.of(arg.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static boolean isSet(String property) {
        return property != null && !property.isEmpty();
    }

    private static void property(String key, String value) {
        context().ifPresent(c -> c.putProperty(key, value.toLowerCase(Locale.ROOT)));
    }

    private static Optional<LoggerContext> context() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext c ? Optional.of(c) : Optional.empty();
    }
}
