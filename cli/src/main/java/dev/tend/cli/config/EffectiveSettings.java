package dev.tend.cli.config;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.LogControl;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.cli.settings.ConfigKey;
import dev.tend.cli.settings.ConfigKeys;
import dev.tend.cli.settings.Source;
import dev.tend.cli.settings.SettingLookup;
import dev.tend.cli.settings.Sourced;
import dev.tend.cli.store.ConfigLookup;
import dev.tend.cli.store.EventsOnNats;
import dev.tend.cli.store.StoreLocator;
import dev.tend.cli.store.StoreModeSetting;
import dev.tend.machine.agent.AgentPaths;
import dev.tend.machine.event.NatsEventSubjects;
import dev.tend.observe.ListenAddress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The settings {@code tend config} shows ({@link ConfigKeys#SHOWN}), each with its effective value and where it came
 * from, resolved as the commands resolve them and checked as they check them: a bad value is the same one-line error
 * (exit 2) the command that uses it would give.
 */
final class EffectiveSettings {

    /** One setting: its key, its value as text (null: unset, no default) and where the value came from. */
    record Row(String key, String value, Source source) {
    }

    /** The flags of {@code tend config}, each null when not given. */
    record Flags(String store, String storeMode, String eventsPrefix, Path machines, Path state, Path socket,
                 Path plugins, Path facts, String identity, String listen) {
    }

    private final Map<String, String> env;
    private final SettingLookup lookup;
    private final AgentLocations locations;

    EffectiveSettings(Map<String, String> env, List<Path> configFiles, AgentPaths defaults) {
        this.env = env;
        this.lookup = new SettingLookup(env, configFiles);
        this.locations = new AgentLocations(lookup, defaults);
    }

    static EffectiveSettings of(Map<String, String> env) {
        return new EffectiveSettings(env, new StoreLocator(env).configFiles(), AgentPaths.defaults(env));
    }

    List<Path> configFiles() {
        return lookup.configFiles();
    }

    /** Every shown setting, in {@link ConfigKeys#SHOWN}'s order. */
    List<Row> rows(Flags flags) {
        return rows(flags, Optional.empty(), Optional.empty());
    }

    /** As {@link #rows(Flags)}, with the log level and format the command line set ({@code --log-level}, ...). */
    List<Row> rows(Flags flags, Optional<String> logLevel, Optional<String> logFormat) {
        List<Row> rows = new ArrayList<>();
        rows.add(store(flags.store()));
        rows.add(storeMode(flags.storeMode()));
        rows.add(eventsPrefix(flags.eventsPrefix()));
        rows.add(path(ConfigKeys.MACHINES, locations.machines(flags.machines())));
        rows.add(path(ConfigKeys.STATE, locations.state(flags.state())));
        rows.add(path(ConfigKeys.SOCKET, locations.socket(flags.socket())));
        rows.add(path(ConfigKeys.PLUGINS, locations.plugins(flags.plugins())));
        rows.add(path(ConfigKeys.FACTS, locations.facts(flags.facts())));
        Sourced<String> identity = locations.identity(flags.identity());
        rows.add(new Row(ConfigKeys.IDENTITY.key(), identity.value(), identity.source()));
        rows.add(listen(flags.listen()));
        rows.add(log(ConfigKeys.LOG_LEVEL, logLevel, LogControl.LEVELS, "info"));
        rows.add(log(ConfigKeys.LOG_FORMAT, logFormat, LogControl.FORMATS, "text"));
        return rows;
    }

    /**
     * Warns about each top-level key of the config files that no command reads (a misspelt {@code sockt:}), one
     * line each: the commands themselves pass over such keys.
     */
    void warnUnknownKeys(Consumer<String> warn) {
        for (Path file : lookup.configFiles()) {
            ConfigLookup.topLevelKeys(file).forEach((key, line) -> {
                if (!ConfigKeys.TOP_LEVEL.contains(key)) {
                    warn.accept("warning: " + file + ":" + line + ": unknown key \"" + key + "\", which no command"
                            + " reads (see docs/configuration.md)");
                }
            });
        }
    }

    private Row store(String flag) {
        if (flag != null && flag.isBlank()) {
            new StoreLocator(env).select(flag); // its error for an empty --store
        }
        Optional<Sourced<String>> given = lookup.text(ConfigKeys.STORE, flag);
        if (given.isPresent()) {
            return new Row(ConfigKeys.STORE.key(), given.get().value(), given.get().source());
        }
        // Neither flag, variable nor file: StoreLocator's default (the root agent's store when accessible).
        return new Row(ConfigKeys.STORE.key(), new StoreLocator(env).select(null).url(), Source.defaults());
    }

    private Row storeMode(String flag) {
        String mode = StoreModeSetting.resolve(flag, env, lookup.configFiles()).name().toLowerCase(Locale.ROOT);
        return new Row(ConfigKeys.STORE_MODE.key(), mode, source(ConfigKeys.STORE_MODE, flag));
    }

    private Row eventsPrefix(String flag) {
        NatsEventSubjects subjects = EventsOnNats.subjects(flag, env, lookup.configFiles());
        return new Row(ConfigKeys.EVENTS_PREFIX.key(), subjects.prefix(), source(ConfigKeys.EVENTS_PREFIX, flag));
    }

    private Row listen(String flag) {
        Optional<Sourced<String>> given = lookup.text(ConfigKeys.LISTEN, flag);
        if (given.isEmpty()) {
            return new Row(ConfigKeys.LISTEN.key(), null, Source.defaults());
        }
        try {
            ListenAddress.parse(given.get().value());
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.USAGE, SettingLookup.where(given.get().source(), ConfigKeys.LISTEN)
                    + ": " + e.getMessage(), e);
        }
        return new Row(ConfigKeys.LISTEN.key(), given.get().value(), given.get().source());
    }

    private Row log(ConfigKey key, Optional<String> fromCommandLine, List<String> allowed, String otherwise) {
        if (fromCommandLine.isPresent()) {
            return new Row(key.key(), fromCommandLine.get(), Source.flag(key.option()));
        }
        Optional<Sourced<String>> given = lookup.text(key, null);
        if (given.isEmpty()) {
            return new Row(key.key(), otherwise, Source.defaults());
        }
        String value = given.get().value().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new CommandException(ExitCodes.USAGE, SettingLookup.where(given.get().source(), key) + " must be "
                    + String.join(", ", allowed) + ", not \"" + given.get().value() + "\"");
        }
        return new Row(key.key(), value, given.get().source());
    }

    private static Row path(ConfigKey key, Sourced<Path> path) {
        return new Row(key.key(), path.value() == null ? null : path.value().toString(), path.source());
    }

    private Source source(ConfigKey key, String flag) {
        return lookup.text(key, flag).map(Sourced::source).orElse(Source.defaults());
    }
}
