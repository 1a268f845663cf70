package dev.tend.cli.settings;

import dev.tend.cli.store.ConfigLookup;
import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.InvalidInputException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks a setting up where every command looks, first match wins: the command-line flag, the environment variable
 * ({@code TEND_...}; set but blank counts as unset), the config files (the user's {@code $XDG_CONFIG_HOME/tend/tend.yaml},
 * then the system's {@code /etc/tend/tend.yaml}: {@link StoreLocator#configFiles()}). The caller supplies the
 * built-in default. A config file is parsed only when its text mentions the key outside comment lines, so that a
 * short command that needs one setting loads no YAML parser for a file that does not set it.
 */
public final class SettingLookup {

    private final Map<String, String> env;
    private final List<Path> configFiles;

    public SettingLookup(Map<String, String> env, List<Path> configFiles) {
        this.env = env;
        this.configFiles = configFiles;
    }

    /** The lookup of this environment, in its config files. */
    public static SettingLookup of(Map<String, String> env) {
        return new SettingLookup(env, new StoreLocator(env).configFiles());
    }

    public Map<String, String> env() {
        return env;
    }

    public List<Path> configFiles() {
        return configFiles;
    }

    /**
     * The setting's text from the flag, the environment or a config file, or empty when none gives it.
     *
     * @param flagValue the flag's value, or null when it was not given
     * @throws InvalidInputException {@code FILE:LINE: KEY must be ...} when the file's value is not a single value
     */
    public Optional<Sourced<String>> text(ConfigKey key, String flagValue) {
        if (flagValue != null) {
            return Optional.of(new Sourced<>(flagValue, Source.flag(key.option())));
        }
        String fromEnv = env.get(key.env());
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(new Sourced<>(fromEnv.strip(), Source.env(key.env())));
        }
        Optional<ConfigLookup.Found> found = key.nested()
                ? ConfigLookup.findField(configFiles, key.topLevel(), key.key().substring(key.topLevel().length() + 1),
                key.expected())
                : ConfigLookup.find(configFiles, key.key(), key.expected(), true);
        return found.map(f -> new Sourced<>(f.value(), Source.file(f.file(), f.line())));
    }

    /**
     * As {@link #text}, for a path: a relative path in a config file is relative to that file's directory; one from
     * the flag or the environment to the working directory.
     *
     * @throws InvalidInputException naming the source when the text is not a path
     */
    public Optional<Sourced<Path>> path(ConfigKey key, Path flagValue) {
        if (flagValue != null) {
            return Optional.of(new Sourced<>(flagValue, Source.flag(key.option())));
        }
        return text(key, null).map(t -> {
            Path p;
            try {
                p = Path.of(t.value());
            } catch (InvalidPathException e) {
                throw new InvalidInputException(where(t.source(), key) + " is not a path: " + e.getReason());
            }
            Source s = t.source();
            if (s.kind() == Source.Kind.FILE && !p.isAbsolute() && s.file().toAbsolutePath().getParent() != null) {
                p = s.file().toAbsolutePath().getParent().resolve(p).normalize();
            }
            return new Sourced<>(p, s);
        });
    }

    /**
     * How an error names where a value came from: {@code FILE:LINE: key}, {@code TEND_X}, {@code --x}, as the start
     * of a one-line message.
     */
    public static String where(Source source, ConfigKey key) {
        return switch (source.kind()) {
            case FLAG -> key.option();
            case ENV -> key.env();
            case FILE -> source.file() + ":" + source.line() + ": " + key.key();
            case DEFAULT -> key.key();
        };
    }
}
