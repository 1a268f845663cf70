package dev.tend.cli.fleet;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.fleet.spec.ItemNames;
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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the list {@code tend fleet publish} publishes: a YAML (or JSON, which is YAML) sequence of mappings, each a
 * machine with {@code name}, {@code version}, either {@code source} (an archive already published, with its
 * {@code checksum} and {@code verify_checksum}) or {@code directory} (a machine directory to pack and upload; relative
 * to the list's file), and {@code match}, {@code governor}, {@code username}, {@code password}. Every problem is one
 * line, {@code FILE:LINE: entry NAME: what}.
 */
final class FleetList {

    /** The largest list read: a few hundred machines. */
    static final FileLimit LIMIT = FileLimit.kibibytes(256, "a fleet list");


    static final Set<String> KEYS = Set.of("name", "version", "source", "directory", "checksum", "verify_checksum",
            "match", "governor", "username", "password");

    /**
     * One entry of the list, where it was read ({@code line}); unset fields are empty strings, {@code directory} is
     * null for an entry with a {@code source}.
     */
    record Item(int line, String name, String version, String source, Path directory, String checksum,
                String verifyChecksum, String match, String governor, String username, String password) {
    }

    private final Path file;

    private FleetList(Path file) {
        this.file = file;
    }

    /** The entries of {@code file}, in its order. @throws CommandException (usage) naming the first problem */
    static List<Item> read(Path file) {
        return new FleetList(file).read();
    }

    private List<Item> read() {
        Node root = compose(text());
        if (!(root instanceof SequenceNode list)) {
            throw problem(root == null ? 0 : line(root), "expected a list of machines (each with name and source or "
                    + "directory)");
        }
        if (list.getValue().isEmpty()) {
            throw problem(line(list), "the list is empty: a specification names at least one machine");
        }
        List<Item> items = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        int index = 0;
        for (Node node : list.getValue()) {
            index++;
            Item item = item(node, index);
            Integer first = names.putIfAbsent(item.name(), item.line());
            if (first != null) {
                throw problem(item.line(), "entry " + item.name() + ": the name is already used on line " + first);
            }
            items.add(item);
        }
        return items;
    }

    private Item item(Node node, int index) {
        if (!(node instanceof MappingNode mapping)) {
            throw problem(line(node), "entry " + index + ": expected a mapping with name and source or directory");
        }
        Map<String, ScalarNode> fields = new LinkedHashMap<>();
        String label = "entry " + index;
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")
                    && t.getValueNode() instanceof ScalarNode value && !value.getValue().isEmpty()) {
                label = "entry " + value.getValue();
            }
        }
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw problem(line(t.getKeyNode()), label + ": keys are names");
            }
            if (!KEYS.contains(key.getValue())) {
                throw problem(line(key), label + ": unknown key \"" + key.getValue() + "\" (known: name, version, "
                        + "source, checksum, verify_checksum, directory, match, governor, username, password)");
            }
            if (!(t.getValueNode() instanceof ScalarNode value)) {
                throw problem(line(t.getValueNode()), label + ": " + key.getValue() + " must be a string");
            }
            if (fields.put(key.getValue(), value) != null) {
                throw problem(line(key), label + ": duplicate key \"" + key.getValue() + "\"");
            }
        }
        int at = line(mapping);
        String name = text(fields, "name");
        if (name.isEmpty()) {
            throw problem(at, label + ": name is required");
        }
        Optional<String> bad = ItemNames.problem(name);
        if (bad.isPresent()) {
            throw problem(line(fields.get("name")), label + ": name \"" + name + "\" " + bad.get());
        }
        String source = text(fields, "source");
        String directory = text(fields, "directory");
        if (source.isEmpty() == directory.isEmpty()) {
            throw problem(at, label + ": give either source (an archive already published) or directory (a machine "
                    + "to pack and upload)");
        }
        String checksum = text(fields, "checksum");
        String verifyChecksum = text(fields, "verify_checksum");
        if (!source.isEmpty() && (checksum.isEmpty() || verifyChecksum.isEmpty())) {
            throw problem(at, label + ": a source needs its checksum and verify_checksum (tend fleet pack prints "
                    + "them)");
        }
        if (!directory.isEmpty() && (!checksum.isEmpty() || !verifyChecksum.isEmpty())) {
            throw problem(line(fields.get(checksum.isEmpty() ? "verify_checksum" : "checksum")), label
                    + ": the checksums of a directory are those of its archive, made here: leave them out");
        }
        String username = text(fields, "username");
        String password = text(fields, "password");
        if (!password.isEmpty() && username.isEmpty()) {
            throw problem(line(fields.get("password")), label + ": a password needs a username");
        }
        Path dir = directory.isEmpty() ? null : base().resolve(directory).normalize();
        return new Item(at, name, text(fields, "version"), source, dir, checksum, verifyChecksum,
                text(fields, "match"), text(fields, "governor"), username, password);
    }

    /** The directory relative directories are read from: the list's own. */
    private Path base() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    private static String text(Map<String, ScalarNode> fields, String key) {
        ScalarNode node = fields.get(key);
        if (node == null || node.getTag().getValue().endsWith(":null")) {
            return "";
        }
        return node.getValue().strip();
    }

    /** The list file's text. */
    private String text() {
        try {
            if (Files.isDirectory(file)) {
                throw problem(0, "is a directory, not a list of machines");
            }
            return Utf8Text.decode(BoundedFile.read(file, LIMIT));
        } catch (NoSuchFileException e) {
            throw problem(0, "no such file");
        } catch (FileTooLargeException e) {
            throw problem(0, e.getMessage());
        } catch (NotUtf8Exception e) {
            throw problem(e.line(), e.getMessage());
        } catch (IOException e) {
            throw problem(0, "cannot read it: " + e.getMessage());
        }
    }

    private Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        try {
            return new Composer(new ParserImpl(new TextStreamReader(text), options), new Resolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            throw problem(YamlErrors.line(e), YamlErrors.message(e));
        } catch (ReaderException e) {
            throw problem(YamlErrors.line(text, e), YamlErrors.message(e));
        } catch (YAMLException e) {
            throw problem(0, "invalid YAML: " + YamlErrors.firstLine(e.getMessage()));
        }
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private CommandException problem(int line, String message) {
        return new CommandException(ExitCodes.USAGE, file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
