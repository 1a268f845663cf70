package dev.tend.cli.store;

import dev.tend.kv.InvalidInputException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Single values of the config files with the line each is on, for the settings that say where they came from
 * ({@code tend config}) and for errors that name {@code FILE:LINE}. The files are read by {@link ConfigFile}, with its
 * rules; the first file that sets a key wins, as for every setting (the user's file, then the system's).
 */
public final class ConfigLookup {

    /**
     * A value found in a config file.
     *
     * @param value the scalar's text, stripped
     * @param file  the config file
     * @param line  the 1-based line of the value
     */
    public record Found(String value, Path file, int line) {
        /** {@code FILE:LINE}. */
        public String where() {
            return file + ":" + line;
        }
    }

    private ConfigLookup() {
    }

    /**
     * The first of {@code files} that sets the top-level {@code key} to a value, or empty. A key set empty
     * ({@code key:}, {@code ~}) counts as not set.
     *
     * @param expected      what the value must be, for the error, e.g. {@code a directory}
     * @param ifMentioned   when true, a file whose text does not contain {@code key} is neither parsed nor checked (a
     *                      short command loads no YAML parser for a setting that is not there)
     * @throws InvalidInputException {@code FILE:LINE: KEY must be EXPECTED, not a list} when the value is not a
     *                               single non-blank value; or as {@link ConfigFile} refuses a file
     */
    public static Optional<Found> find(List<Path> files, String key, String expected, boolean ifMentioned) {
        for (Path file : files) {
            Optional<Node> root = ifMentioned ? ConfigFile.readIfMentions(file, key) : ConfigFile.read(file);
            if (root.isEmpty()) {
                continue;
            }
            Node value = entries(file, root.get()).get(key);
            if (value == null || ConfigFile.isNull(value)) {
                continue;
            }
            return Optional.of(scalar(file, key, value, expected));
        }
        return Optional.empty();
    }

    /**
     * As {@link #find}, for a field of a top-level mapping ({@code log: {level: info}}): the first file whose
     * {@code section} sets {@code field}. A {@code section} that is not a mapping is an error naming its line.
     */
    public static Optional<Found> findField(List<Path> files, String section, String field, String expected) {
        for (Path file : files) {
            Optional<Node> root = ConfigFile.readIfMentions(file, section);
            if (root.isEmpty()) {
                continue;
            }
            Node value = entries(file, root.get()).get(section);
            if (value == null || ConfigFile.isNull(value)) {
                continue;
            }
            if (!(value instanceof MappingNode map)) {
                throw new InvalidInputException(file + ":" + ConfigFile.line(value) + ": " + section
                        + " must be a mapping");
            }
            Node v = entries(file, map).get(field);
            if (v == null || ConfigFile.isNull(v)) {
                continue;
            }
            return Optional.of(scalar(file, section + "." + field, v, expected));
        }
        return Optional.empty();
    }

    /**
     * The top-level keys of one config file with the line of each, in the file's order; empty when the file is
     * missing, unreadable or empty.
     *
     * @throws InvalidInputException as {@link ConfigFile} refuses a file, or when it is not a mapping
     */
    public static Map<String, Integer> topLevelKeys(Path file) {
        Optional<Node> root = ConfigFile.read(file);
        Map<String, Integer> keys = new LinkedHashMap<>();
        if (root.isEmpty()) {
            return keys;
        }
        if (!(root.get() instanceof MappingNode map)) {
            throw notAMapping(file);
        }
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                keys.put(k.getValue(), ConfigFile.line(k));
            }
        }
        return keys;
    }

    private static Map<String, Node> entries(Path file, Node root) {
        if (!(root instanceof MappingNode map)) {
            throw notAMapping(file);
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                entries.putIfAbsent(k.getValue(), t.getValueNode());
            }
        }
        return entries;
    }

    private static Found scalar(Path file, String key, Node value, String expected) {
        int line = ConfigFile.line(value);
        if (!(value instanceof ScalarNode s)) {
            throw new InvalidInputException(file + ":" + line + ": " + key + " must be " + expected + ", not a "
                    + (value instanceof MappingNode ? "mapping" : "list"));
        }
        if (s.getValue().isBlank()) {
            throw new InvalidInputException(file + ":" + line + ": " + key + " must be " + expected
                    + ", not blank");
        }
        return new Found(s.getValue().strip(), file, line);
    }

    private static InvalidInputException notAMapping(Path file) {
        // The words StoreLocator uses for the same problem.
        return new InvalidInputException("the config file " + file + " must be a YAML mapping, e.g. store: "
                + "file:///var/lib/tend/kv");
    }
}
