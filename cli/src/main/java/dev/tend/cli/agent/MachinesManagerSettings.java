package dev.tend.cli.agent;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.PublicKeyOption;
import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.InvalidInputException;
import dev.tend.units.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether and how {@code tend agent} runs the built-in manager ({@link MachinesManager}): each setting from its
 * option, else the config files (the user's first) under Choria's names ({@code plugin.machines.download},
 * {@code .bucket}, {@code .key}, {@code .signing_key}, {@code .check_interval}, {@code .purge}, and Tend's
 * {@code .target}), else Choria's default. The options are strings, checked here, so that the agent's fast path
 * copies them as given.
 *
 * @param enabled       {@code --manage-machines} given
 * @param bucket        {@code --machines-bucket}, or null
 * @param key           {@code --machines-key}, or null
 * @param signingKey    {@code --machines-signing-key} (hex, or a file holding it), or null
 * @param checkInterval {@code --machines-check-interval}, or null
 * @param purge         {@code --machines-purge} ({@code true} or {@code false}), or null
 * @param target        {@code --machines-target}, or null
 */
record MachinesManagerSettings(boolean enabled, String bucket, String key, String signingKey, String checkInterval,
                               String purge, Path target) {

    static final String PREFIX = "plugin.machines.";

    /**
     * The manager to run, or empty when neither the option nor a config file enables it.
     *
     * @param machines the agent's machines directory, the default target
     * @throws CommandException (usage) naming the option or the file and key of a bad setting
     */
    Optional<MachinesManager> resolve(List<Path> configFiles, Path machines) {
        boolean on = enabled || bool("--manage-machines", null, "download", configFiles, false);
        if (!on) {
            if (bucket != null || key != null || signingKey != null || checkInterval != null || purge != null
                    || target != null) {
                throw new CommandException(ExitCodes.USAGE, "the --machines-* options set up the built-in manager: add "
                        + "--manage-machines (or plugin.machines.download: true in the config file)");
            }
            return Optional.empty();
        }
        String b = text("--machines-bucket", bucket, "bucket", configFiles, MachinesManager.DEFAULT_BUCKET);
        String k = text("--machines-key", key, "key", configFiles, MachinesManager.DEFAULT_KEY);
        String signing = text("--machines-signing-key", signingKey, "signing_key", configFiles, "");
        String publicKey = signing.isEmpty() ? "" : PublicKeyOption.read(source("--machines-signing-key", signingKey,
                "signing_key", configFiles), signing).hex();
        Duration interval = duration(configFiles);
        boolean p = bool("--machines-purge", purge, "purge", configFiles, true);
        String t = text("--machines-target", target == null ? null : target.toString(), "target", configFiles, null);
        return Optional.of(new MachinesManager(b, k, publicKey, interval, p, t == null ? machines : Path.of(t)));
    }

    private Duration duration(List<Path> configFiles) {
        String value = text("--machines-check-interval", checkInterval, "check_interval", configFiles, null);
        if (value == null) {
            return MachinesManager.DEFAULT_CHECK_INTERVAL;
        }
        String from = source("--machines-check-interval", checkInterval, "check_interval", configFiles);
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, from + ": " + e.getMessage(), e);
        }
        if (d.compareTo(MachinesManager.MIN_CHECK_INTERVAL) < 0) {
            throw new CommandException(ExitCodes.USAGE, from + " must be at least "
                    + Durations.format(MachinesManager.MIN_CHECK_INTERVAL) + ", not " + value);
        }
        return d;
    }

    private static boolean bool(String option, String value, String name, List<Path> configFiles, boolean otherwise) {
        String text = text(option, value, name, configFiles, null);
        if (text == null) {
            return otherwise;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new CommandException(ExitCodes.USAGE, source(option, value, name, configFiles)
                    + " must be true or false, not " + text);
        };
    }

    /** The option's value, else the first config file's, else {@code otherwise}. */
    private static String text(String option, String value, String name, List<Path> configFiles, String otherwise) {
        if (value != null) {
            return value.strip();
        }
        for (Path config : configFiles) {
            String found = inFile(config, name);
            if (found != null) {
                return found;
            }
        }
        return otherwise;
    }

    /** Where the setting came from, for a message: the option, or the key and its file. */
    private static String source(String option, String value, String name, List<Path> configFiles) {
        if (value != null) {
            return option;
        }
        for (Path config : configFiles) {
            if (inFile(config, name) != null) {
                return PREFIX + name + " in " + config;
            }
        }
        return option;
    }

    private static String inFile(Path config, String name) {
        try {
            return StoreLocator.scalarSetting(config, PREFIX + name, "a value");
        } catch (InvalidInputException e) {
            throw new CommandException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }
}
