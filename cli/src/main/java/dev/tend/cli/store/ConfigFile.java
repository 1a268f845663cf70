package dev.tend.cli.store;

import dev.tend.kv.InvalidInputException;
import dev.tend.machine.input.BoundedFile;
import dev.tend.machine.input.FileLimit;
import dev.tend.machine.input.FileTooLargeException;
import dev.tend.machine.input.NotUtf8Exception;
import dev.tend.machine.input.TextStreamReader;
import dev.tend.machine.input.Utf8Text;
import dev.tend.machine.input.YamlErrors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one reader of the CLI's config files ({@code tend.yaml}), for {@link StoreLocator} and {@link NatsConfigFile}:
 * SnakeYAML's nodes, which keep their lines for messages. The rules of machine files: at most {@link #LIMIT}, UTF-8
 * (its byte-order mark allowed, UTF-16 and UTF-32 refused), one document, no duplicate keys. A problem with the file
 * as a whole is {@code cannot read the config file FILE:LINE: what}.
 */
final class ConfigFile {

    /** The largest config file read (docs/cli-kv.md); it holds a few settings. */
    static final FileLimit LIMIT = FileLimit.kibibytes(64, "a config file");

    private ConfigFile() {
    }

    /**
     * The document's root node; empty when the file is missing or unreadable (e.g. another user's: as if absent), or
     * holds no document.
     *
     * @throws InvalidInputException when the file is too large, not UTF-8, not YAML, or repeats a key
     */
    static Optional<Node> read(Path file) {
        return read(file, null);
    }

    /**
     * As {@link #read(Path)}, but a file whose text does not contain {@code word} is neither parsed nor checked: a
     * one-shot command ({@code tend kv get --raw}) loads no YAML parser for a setting that is not there.
     */
    static Optional<Node> readIfMentions(Path file, String word) {
        return read(file, word);
    }

    private static Optional<Node> read(Path file, String mustMention) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = BoundedFile.read(file, LIMIT);
        } catch (FileTooLargeException e) {
            throw refused(file, 0, e.getMessage());
        } catch (IOException e) {
            return Optional.empty();
        }
        String text;
        try {
            text = Utf8Text.decode(bytes);
        } catch (NotUtf8Exception e) {
            throw refused(file, e.line(), e.getMessage());
        }
        if (mustMention != null && !mentions(text, mustMention) || onlyComments(text)) {
            return Optional.empty();
        }
        Node root = compose(file, text);
        if (root == null || isNull(root)) {
            return Optional.empty();
        }
        refuseDuplicateKeys(file, root, Collections.newSetFromMap(new IdentityHashMap<>()));
        return Optional.of(root);
    }

    /**
     * Whether {@code word} is on a line that is not a comment line (one whose first non-blank character is
     * {@code #}): a commented-out sample setting ({@code # socket: /run/tend/agent.sock}) is no reason to parse.
     * A key cannot start on a comment line, so nothing set is missed.
     */
    static boolean mentions(String text, String word) {
        int from = 0;
        while (true) {
            int at = text.indexOf(word, from);
            if (at < 0) {
                return false;
            }
            int lineStart = text.lastIndexOf('\n', at) + 1;
            int first = lineStart;
            while (first < at && (text.charAt(first) == ' ' || text.charAt(first) == '\t'
                    || text.charAt(first) == '\uFEFF')) {
                first++;
            }
            if (text.charAt(first) != '#') {
                return true;
            }
            int next = text.indexOf('\n', at);
            if (next < 0) {
                return false;
            }
            from = next + 1;
        }
    }

    /**
     * Whether every line is blank or a comment, as the package's commented sample {@code /etc/tend/tend.yaml} is: such
     * a file holds no document, so it is not parsed (every command reads it; the parser's classes cost a short
     * command's start-up).
     */
    static boolean onlyComments(String text) {
        return text.lines().allMatch(line -> {
            String t = line.replace("\uFEFF", "").strip();
            return t.isEmpty() || t.charAt(0) == '#';
        });
    }

    /** An empty value: {@code key:}, {@code ~} or {@code null}. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    /** The 1-based line a node starts on. */
    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static Node compose(Path file, String text) {
        LoaderOptions options = new LoaderOptions();
        try {
            return new Composer(new ParserImpl(new TextStreamReader(text), options), new Resolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            throw refused(file, YamlErrors.line(e), YamlErrors.message(e));
        } catch (ReaderException e) {
            throw refused(file, YamlErrors.line(text, e), YamlErrors.message(e));
        } catch (YAMLException e) {
            throw refused(file, 0, "invalid YAML: " + YamlErrors.firstLine(e.getMessage()));
        }
    }

    /**
     * Refuses a key written twice in one mapping, as machine files do: SnakeYAML would keep the later value and log a
     * warning of its own. (Its {@code setAllowDuplicateKeys} applies when it builds Java objects, which this reader
     * does not: the settings are read from the nodes, for their lines.)
     */
    private static void refuseDuplicateKeys(Path file, Node node, Set<Node> seen) {
        if (!seen.add(node)) {
            return; // an alias of a node already checked
        }
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> refuseDuplicateKeys(file, item, seen));
        } else if (node instanceof MappingNode mapping) {
            Map<String, Integer> first = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    Integer earlier = first.putIfAbsent(key.getValue(), line(key));
                    if (earlier != null) {
                        throw refused(file, line(key), "duplicate key \"" + key.getValue() + "\" (first on line "
                                + earlier + ")");
                    }
                }
                refuseDuplicateKeys(file, tuple.getValueNode(), seen);
            }
        }
    }

    private static InvalidInputException refused(Path file, int line, String message) {
        return new InvalidInputException("cannot read the config file " + file + (line > 0 ? ":" + line : "") + ": "
                + message);
    }
}
