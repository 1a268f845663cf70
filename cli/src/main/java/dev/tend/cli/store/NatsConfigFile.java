package dev.tend.cli.store;

import dev.tend.kv.InvalidInputException;
import dev.tend.units.Durations;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code nats:} mapping of a config file ({@code user}, {@code password}, {@code token}, {@code creds},
 * {@code tls: {ca, cert, key}}, {@code name}, {@code timeout}), from the nodes {@link ConfigFile} reads, so that an
 * error can give the line. Relative file names are relative to the config file's directory.
 */
final class NatsConfigFile {
    private static final Set<String> KEYS = Set.of("user", "password", "token", "creds", "tls", "name", "timeout");
    private static final Set<String> TLS_KEYS = Set.of("ca", "cert", "key");

    private final Path file;

    private NatsConfigFile(Path file) {
        this.file = file;
    }

    /**
     * The file's NATS settings; null when the file does not exist or cannot be read (as {@link StoreLocator}
     * treats it) or has no {@code nats:}. Warns when the file holds a password or token that others can read.
     */
    static ConnectionSettings.Values read(Path file, Consumer<String> warn) {
        // Missing or unreadable (e.g. the system's file for a user outside its group): as if absent.
        Optional<Node> root = ConfigFile.read(file);
        if (root.isEmpty()) {
            return null;
        }
        ConnectionSettings.Values values = new NatsConfigFile(file).parse(root.get());
        if (values != null && (values.password() != null || values.token() != null) && othersCanRead(file)) {
            warn.accept("warning: " + file + " holds a NATS " + (values.password() != null ? "password" : "token")
                    + " and other users can read it: chmod o-r " + file);
        }
        return values;
    }

    private ConnectionSettings.Values parse(Node root) {
        if (!(root instanceof MappingNode top)) {
            return null; // StoreLocator reports a config that is not a mapping
        }
        Node nats = entries(top).get("nats");
        if (nats == null || ConfigFile.isNull(nats)) {
            return null;
        }
        Map<String, Node> settings = mapping(nats, "nats", KEYS);
        Map<String, Node> tls = Map.of();
        if (settings.containsKey("tls") && !ConfigFile.isNull(settings.get("tls"))) {
            tls = mapping(settings.get("tls"), "nats.tls", TLS_KEYS);
        }
        return new ConnectionSettings.Values(string(settings, "user"), string(settings, "password"),
                string(settings, "token"), path(settings, "creds"), path(tls, "ca", "tls."),
                path(tls, "cert", "tls."), path(tls, "key", "tls."), string(settings, "name"),
                duration(settings, "timeout"));
    }

    /** A mapping's entries by key, refusing keys not in {@code known}. */
    private Map<String, Node> mapping(Node node, String what, Set<String> known) {
        if (!(node instanceof MappingNode m)) {
            throw new InvalidInputException(what + " in " + file + where(node) + " must be a mapping, e.g. "
                    + (what.equals("nats") ? "nats: {user: tend, password: ...}" : "tls: {ca: /etc/tend/ca.pem}"));
        }
        Map<String, Node> entries = entries(m);
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new InvalidInputException("unknown key " + what + "." + e.getKey() + " in " + file
                        + where(e.getValue()) + " (known: " + String.join(", ", known.stream().sorted().toList())
                        + ")");
            }
        }
        return entries;
    }

    private Map<String, Node> entries(MappingNode m) {
        Map<String, Node> entries = new HashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw new InvalidInputException("a key in " + file + where(t.getKeyNode()) + " is not a name");
            }
            entries.put(key.getValue(), t.getValueNode());
        }
        return entries;
    }

    private String string(Map<String, Node> settings, String key) {
        return string(settings, key, "");
    }

    private String string(Map<String, Node> settings, String key, String prefix) {
        Node node = settings.get(key);
        if (node == null || ConfigFile.isNull(node)) {
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw new InvalidInputException("nats." + prefix + key + " in " + file + where(node)
                    + " must be a single value, not a list or mapping");
        }
        String v = scalar.getValue();
        return v.isEmpty() ? null : v;
    }

    private Path path(Map<String, Node> settings, String key) {
        return path(settings, key, "");
    }

    private Path path(Map<String, Node> settings, String key, String prefix) {
        String v = string(settings, key, prefix);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }

    private Duration duration(Map<String, Node> settings, String key) {
        String v = string(settings, key);
        if (v == null) {
            return null;
        }
        try {
            return Durations.parse(v);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("nats." + key + " in " + file + where(settings.get(key)) + ": "
                    + e.getMessage(), e);
        }
    }

    private static String where(Node node) {
        return ConfigFile.line(node) == 0 ? "" : " (line " + ConfigFile.line(node) + ")";
    }

    private static boolean othersCanRead(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
