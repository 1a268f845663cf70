package dev.tend.cli.store;

import dev.tend.kv.InvalidInputException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the store a command uses ({@code tend kv}, {@code tend agent}, {@code tend machine run} and
 * {@code events}), first match wins: {@code --store URL}; {@code TEND_STORE}; {@code store:} in the user's
 * ({@code $XDG_CONFIG_HOME/tend/tend.yaml}, default {@code ~/.config/tend/tend.yaml}) then the system's
 * ({@code /etc/tend/tend.yaml}) config file; {@code /var/lib/tend/kv} when it exists and is accessible (a root agent's
 * store, shared through a group); else {@code $XDG_DATA_HOME/tend/kv} ({@code ~/.local/share/tend/kv}).
 */
public final class StoreLocator {
    public static final Path SYSTEM_CONFIG = Path.of("/etc/tend/tend.yaml");
    public static final Path SYSTEM_STORE = Path.of("/var/lib/tend/kv");

    /** The store chosen and why. */
    public record Selection(String url, String source) {
    }

    private final Map<String, String> env;
    private final Path systemConfig;
    private final Path systemStore;

    public StoreLocator(Map<String, String> env) {
        this(env, SYSTEM_CONFIG, SYSTEM_STORE);
    }

    /** For tests: other places for the system's config file and store. */
    public StoreLocator(Map<String, String> env, Path systemConfig, Path systemStore) {
        this.env = env;
        this.systemConfig = systemConfig;
        this.systemStore = systemStore;
    }

    /** The environment the store is chosen in. */
    public Map<String, String> env() {
        return env;
    }

    public Selection select(String storeOption) {
        if (storeOption != null) {
            if (storeOption.isBlank()) {
                throw new InvalidInputException("--store needs a URL, e.g. file:///var/lib/tend/kv");
            }
            return new Selection(storeOption, "--store");
        }
        String fromEnv = env.get("TEND_STORE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Selection(fromEnv, "TEND_STORE");
        }
        for (Path config : configFiles()) {
            String store = storeIn(config);
            if (store != null) {
                return new Selection(store, config.toString());
            }
        }
        if (Files.isDirectory(systemStore) && Files.isReadable(systemStore) && Files.isExecutable(systemStore)) {
            return new Selection(systemStore.toString(), "default");
        }
        String dataHome = env.get("XDG_DATA_HOME");
        Path base = dataHome != null && !dataHome.isBlank() && Path.of(dataHome).isAbsolute()
                ? Path.of(dataHome) : home().resolve(".local").resolve("share");
        return new Selection(base.resolve("tend").resolve("kv").toString(), "default");
    }

    /** The config files, the user's first. */
    public List<Path> configFiles() {
        List<Path> files = new ArrayList<>();
        String configHome = env.get("XDG_CONFIG_HOME");
        Path userBase = configHome != null && !configHome.isBlank() && Path.of(configHome).isAbsolute()
                ? Path.of(configHome) : home().resolve(".config");
        files.add(userBase.resolve("tend").resolve("tend.yaml"));
        files.add(systemConfig);
        return files;
    }

    private Path home() {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** The {@code store:} of a config file, or null when the file or the key is missing. */
    static String storeIn(Path config) {
        return setting(config, "store", "a URL, e.g. file:///var/lib/tend/kv");
    }

    /**
     * A top-level string setting of a config file ({@code key: value}), stripped, or null when the file is missing
     * or unreadable (e.g. another user's) or has no such key. The file is read by {@link ConfigFile}.
     *
     * @param expected what the value must be, for the error, e.g. {@code a URL, e.g. file:///var/lib/tend/kv}
     * @throws InvalidInputException when the file is not YAML, not a mapping, or the value is not a non-blank string
     */
    public static String setting(Path config, String key, String expected) {
        return setting(config, ConfigFile.read(config), key, expected);
    }

    /**
     * As {@link #setting(Path, String, String)}, but a file whose text does not mention {@code key} at all is not
     * parsed (nor checked): a one-shot command ({@code tend kv get --raw}) loads no YAML parser for a setting that
     * is not there.
     */
    public static String settingIfMentioned(Path config, String key, String expected) {
        return setting(config, ConfigFile.readIfMentions(config, key), key, expected);
    }

    /**
     * As {@link #setting(Path, String, String)}, for a setting that may also be written as a YAML boolean or number
     * ({@code plugin.machines.purge: false}): its text.
     */
    public static String scalarSetting(Path config, String key, String expected) {
        return setting(config, ConfigFile.read(config), key, expected, false);
    }

    /**
     * The string fields of the mapping under {@code key} ({@code log: {level: info, format: json}}), by name, or an
     * empty map when the file does not have it. A field not in {@code fields}, a value that is not a non-empty string,
     * or a {@code key} that is not a mapping is an {@link InvalidInputException} naming the file and line.
     */
    public static Map<String, String> section(Path config, String key, Set<String> fields) {
        Optional<Node> doc = ConfigFile.readIfMentions(config, key);
        if (doc.isEmpty()) {
            return Map.of();
        }
        if (!(doc.get() instanceof MappingNode map)) {
            throw new InvalidInputException("the config file " + config + " must be a YAML mapping, e.g. store: "
                    + "file:///var/lib/tend/kv");
        }
        Node value = map.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .map(NodeTuple::getValueNode)
                .findFirst().orElse(null);
        if (value == null || ConfigFile.isNull(value)) {
            return Map.of();
        }
        if (!(value instanceof MappingNode section)) {
            throw new InvalidInputException(config + ":" + ConfigFile.line(value) + ": " + key + " must be a mapping"
                    + " of " + String.join(", ", new java.util.TreeSet<>(fields)));
        }
        Map<String, String> found = new java.util.LinkedHashMap<>();
        for (NodeTuple t : section.getValue()) {
            String name = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
            if (!fields.contains(name)) {
                throw new InvalidInputException(config + ":" + ConfigFile.line(t.getKeyNode()) + ": unknown field \""
                        + name + "\" in " + key + "; known fields: " + String.join(", ", new java.util.TreeSet<>(fields)));
            }
            Node v = t.getValueNode();
            if (!(v instanceof ScalarNode s) || !Tag.STR.equals(s.getTag()) || s.getValue().isBlank()) {
                throw new InvalidInputException(config + ":" + ConfigFile.line(v) + ": " + key + "." + name
                        + " must be a word");
            }
            found.put(name, s.getValue().strip());
        }
        return found;
    }

    private static String setting(Path config, Optional<Node> doc, String key, String expected) {
        return setting(config, doc, key, expected, true);
    }

    private static String setting(Path config, Optional<Node> doc, String key, String expected,
                                  boolean onlyStrings) {
        if (doc.isEmpty()) {
            return null;
        }
        if (!(doc.get() instanceof MappingNode map)) {
            throw new InvalidInputException("the config file " + config + " must be a YAML mapping, e.g. store: "
                    + "file:///var/lib/tend/kv");
        }
        Node value = map.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .map(NodeTuple::getValueNode)
                .findFirst().orElse(null);
        if (value == null || ConfigFile.isNull(value)) {
            return null;
        }
        if (!(value instanceof ScalarNode s) || (onlyStrings && !Tag.STR.equals(s.getTag()))
                || s.getValue().isBlank()) {
            throw new InvalidInputException(key + " in " + config + " must be " + expected);
        }
        return s.getValue().strip();
    }
}
