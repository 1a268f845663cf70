package dev.tend.machine.load;

import dev.tend.machine.input.TextStreamReader;
import dev.tend.machine.input.YamlErrors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads YAML text into a {@link YamlNode} tree with SnakeYAML's composer (no object construction), reporting syntax
 * errors, duplicate keys, recursive aliases and bad merge keys with their lines.
 */
final class YamlTreeReader {

    /** Marks unquoted, untagged scalars, so their text is kept and typed later by {@link CoreScalars}. */
    private static final Tag PLAIN = new Tag("tag:tend.dev,2025:plain");
    /** Aliases make a small file a huge tree; no machine needs more nodes than this. */
    private static final int MAX_NODES = 200_000;
    private static final int MAX_DEPTH = 200;

    private final Problems problems;
    private int nodes;
    private boolean tooLarge;

    private YamlTreeReader(Problems problems) {
        this.problems = problems;
    }

    /** The document's tree, or {@code null} when it is empty or does not parse (a problem says which). */
    static YamlNode read(String text, Problems problems) {
        return new YamlTreeReader(problems).readDocument(text);
    }

    private YamlNode readDocument(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setProcessComments(false);
        options.setMaxAliasesForCollections(100);
        Node root;
        try {
            root = new Composer(new ParserImpl(new TextStreamReader(text), options), new TextKeepingResolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            problems.error(YamlErrors.line(e), "", syntaxMessage(e));
            return null;
        } catch (ReaderException e) {
            problems.error(YamlErrors.line(text, e), "", YamlErrors.message(e));
            return null;
        } catch (YAMLException e) {
            problems.error(0, "", "invalid YAML: " + YamlErrors.firstLine(e.getMessage()));
            return null;
        }
        if (root == null) {
            problems.error(0, "", "the file is empty; a machine needs name, version, initial_state, transitions and "
                    + "watchers");
            return null;
        }
        YamlNode tree = convert(root, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
        return tooLarge ? null : tree;
    }

    private YamlNode convert(Node node, Set<Node> ancestors, int depth) {
        int line = node.getStartMark().getLine() + 1;
        if (++nodes > MAX_NODES || depth > MAX_DEPTH) {
            if (!tooLarge) {
                problems.error(line, "", "the document is too large or too deeply nested (aliases expand to more than "
                        + MAX_NODES + " nodes)");
            }
            tooLarge = true;
            return new YamlNode.Scalar(line, "", true);
        }
        if (node instanceof ScalarNode scalar) {
            return new YamlNode.Scalar(line, scalar.getValue(), !Tag.STR.equals(scalar.getTag()));
        }
        if (!ancestors.add(node)) {
            problems.error(line, "", "invalid YAML: an alias refers to a node that contains it");
            return new YamlNode.Scalar(line, "", true);
        }
        try {
            if (node instanceof SequenceNode sequence) {
                List<YamlNode> items = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    items.add(convert(item, ancestors, depth + 1));
                }
                return new YamlNode.Sequence(line, items);
            }
            return mapping((MappingNode) node, line, ancestors, depth);
        } finally {
            ancestors.remove(node);
        }
    }

    private YamlNode.Mapping mapping(MappingNode node, int line, Set<Node> ancestors, int depth) {
        List<YamlNode.Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<YamlNode.Entry> merged = new ArrayList<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            int keyLine = keyNode.getStartMark().getLine() + 1;
            if (!(keyNode instanceof ScalarNode key)) {
                problems.error(keyLine, "", "invalid key: keys must be plain text, not "
                        + (keyNode instanceof SequenceNode ? "a list" : "a mapping"));
                continue;
            }
            YamlNode value = convert(tuple.getValueNode(), ancestors, depth + 1);
            if (key.getValue().equals("<<") && PLAIN.equals(key.getTag())) {
                merged.addAll(mergeEntries(value, keyLine));
                continue;
            }
            Integer first = seen.putIfAbsent(key.getValue(), keyLine);
            if (first != null) {
                problems.error(keyLine, "", "duplicate key " + MessageText.quote(key.getValue()) + " (first on line " + first
                        + ")");
                continue;
            }
            entries.add(new YamlNode.Entry(key.getValue(), keyLine, value));
        }
        // Merge keys: keys written in the mapping win, then earlier merged mappings over later ones.
        for (YamlNode.Entry entry : merged) {
            if (seen.putIfAbsent(entry.key(), entry.keyLine()) == null) {
                entries.add(entry);
            }
        }
        return new YamlNode.Mapping(line, entries);
    }

    private List<YamlNode.Entry> mergeEntries(YamlNode value, int keyLine) {
        if (value instanceof YamlNode.Mapping m) {
            return m.entries();
        }
        List<YamlNode.Entry> entries = new ArrayList<>();
        if (value instanceof YamlNode.Sequence s && s.items().stream().allMatch(i -> i instanceof YamlNode.Mapping)) {
            s.items().forEach(i -> entries.addAll(((YamlNode.Mapping) i).entries()));
            return entries;
        }
        problems.error(keyLine, "", "invalid merge key \"<<\": its value must be a mapping or a list of mappings");
        return entries;
    }

    /** SnakeYAML's context and problem on one line; a second document gets a message of its own. */
    private static String syntaxMessage(MarkedYAMLException e) {
        if (YamlErrors.firstLine(e.getContext()).startsWith("expected a single document")) {
            return "invalid YAML: a machine file holds one document, but another one starts here";
        }
        return YamlErrors.message(e);
    }

    /**
     * Resolves tags as SnakeYAML does, except that an unquoted, untagged scalar gets {@link #PLAIN} rather than a YAML
     * 1.1 type, so {@code on} is not read as a boolean.
     */
    private static final class TextKeepingResolver extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            if (kind == NodeId.scalar && implicit) {
                return PLAIN;
            }
            return super.resolve(kind, value, implicit);
        }
    }
}
