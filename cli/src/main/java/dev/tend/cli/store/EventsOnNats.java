package dev.tend.cli.store;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.machine.event.NatsEventSubjects;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Machine events on NATS, as {@code tend agent} publishes them and {@code tend machine events --follow --nats} reads
 * them: whether a store is NATS, the subjects' prefix, and the connection options.
 */
public final class EventsOnNats {

    public static final String PREFIX_OPTION = "--events-prefix";
    public static final String PREFIX_ENV = "TEND_EVENTS_PREFIX";
    public static final String PREFIX_KEY = "events_prefix";

    private EventsOnNats() {
    }

    /**
     * The options of every NATS connection made for machine events (the agent's publisher, the follower).
     * The settings are {@code tend kv}'s (flags, environment, config files); both users run for long, so they
     * reconnect for as long as it takes (the publisher also connects again itself when jnats gives a connection up;
     * the follower ends with an error then).
     */
    public static ConnectionOptions connectionOptions(Map<String, String> env, NatsFlags flags,
                                                      Consumer<String> warn) {
        return ConnectionSettings.resolve(env, flags, warn).withReconnect(ConnectionOptions.Reconnect.FOREVER);
    }

    /**
     * The subjects, first match wins: {@code --events-prefix}, {@code TEND_EVENTS_PREFIX}, {@code events_prefix:} in the
     * config files (the user's first), else {@value NatsEventSubjects#DEFAULT_PREFIX}.
     *
     * @param option      the {@code --events-prefix} value, or null
     * @param configFiles the config files, as for the store ({@code StoreLocator#configFiles})
     * @throws CommandException (usage) naming the prefix and where it came from when it is not a valid prefix
     */
    public static NatsEventSubjects subjects(String option, Map<String, String> env, List<Path> configFiles) {
        if (option != null) {
            return subjects(option, PREFIX_OPTION);
        }
        String fromEnv = env.get(PREFIX_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return subjects(fromEnv, PREFIX_ENV);
        }
        for (Path config : configFiles) {
            String prefix = prefixIn(config);
            if (prefix != null) {
                return subjects(prefix, PREFIX_KEY + " in " + config);
            }
        }
        return NatsEventSubjects.defaults();
    }

    private static NatsEventSubjects subjects(String prefix, String source) {
        try {
            return new NatsEventSubjects(prefix);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, e.getMessage() + " (from " + source + ")", e);
        }
    }

    /** The {@code events_prefix:} of a config file, or null when the file or the key is missing. */
    private static String prefixIn(Path config) {
        try {
            return StoreLocator.setting(config, PREFIX_KEY, "a subject prefix such as "
                    + NatsEventSubjects.DEFAULT_PREFIX);
        } catch (InvalidInputException e) {
            throw new CommandException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
