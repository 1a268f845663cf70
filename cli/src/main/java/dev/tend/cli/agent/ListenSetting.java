package dev.tend.cli.agent;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.InvalidInputException;
import dev.tend.observe.ListenAddress;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code tend agent} serves HTTP (metrics, health), first match wins: {@code --listen}, {@code TEND_LISTEN},
 * {@code listen:} in the config files (the user's first), else nowhere: the listener is opt-in.
 */
final class ListenSetting {

    static final String OPTION = "--listen";
    static final String KEY = "listen";
    static final String ENV = "TEND_LISTEN";

    private ListenSetting() {
    }

    /**
     * The address to listen on, or empty for none.
     *
     * @param option the {@code --listen} value, or null
     * @throws CommandException (usage) naming the value and where it came from when it is not {@code HOST:PORT}
     */
    static Optional<ListenAddress> resolve(String option, Map<String, String> env, List<Path> configFiles) {
        if (option != null) {
            return Optional.of(parse(option, OPTION));
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(parse(fromEnv.strip(), ENV));
        }
        for (Path config : configFiles) {
            String value;
            try {
                value = StoreLocator.scalarSetting(config, KEY, "HOST:PORT");
            } catch (InvalidInputException e) {
                throw new CommandException(ExitCodes.USAGE, e.getMessage(), e);
            }
            if (value != null) {
                return Optional.of(parse(value, KEY + " in " + config));
            }
        }
        return Optional.empty();
    }

    private static ListenAddress parse(String value, String source) {
        try {
            return ListenAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, source + ": " + e.getMessage(), e);
        }
    }
}
