package dev.tend.machine.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tend.machine.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Checks a machine.yaml tree against the generated JSON Schema, and locates each finding at its line. */
final class SchemaCheck {

    /**
     * One thing the schema found.
     *
     * @param problem   located at the line of the node (or key) concerned
     * @param firstLine the first line of what the finding is about: the whole transition or watcher it is in, else
     *                  its own node
     * @param lastLine  the last line of the same
     * @param unknownKey whether it is a key the schema does not define: a warning, as the loader's unknown keys are
     */
    record Finding(Problem problem, int firstLine, int lastLine, boolean unknownKey) {
    }

    private final JsonSchema schema;
    private final JsonNode schemaTree;

    SchemaCheck(JsonNode schemaTree) {
        this.schemaTree = schemaTree;
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaTree, config);
    }

    /** Every finding once, in the order of the document. */
    List<Finding> check(YamlNode root, Path file) {
        List<ValidationMessage> messages = new ArrayList<>(schema.validate(YamlJson.tree(root)));
        messages.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage));
        Set<Finding> findings = new LinkedHashSet<>();
        for (ValidationMessage m : messages) {
            JsonNodePath path = m.getInstanceLocation();
            String location = path.toString();
            Located at = locate(root, path, m.getProperty());
            Located region = path.getNameCount() >= 2 && path.getElement(1) instanceof Integer
                    && (path.getName(0).equals("transitions") || path.getName(0).equals("watchers"))
                    ? locate(root, prefix(path, 2), null) : at;
            Problem p = new Problem(file, at.line(), "schema " + (location.isEmpty() ? "/" : location), error(m));
            findings.add(new Finding(p, Math.min(region.line(), at.line()), Math.max(lastLine(region.node()),
                    at.line()), "additionalProperties".equals(m.getType())));
        }
        return List.copyOf(findings);
    }

    /**
     * The message without the location networknt puts in front of it; for a {@code not} (how the schema says
     * "required, in any case"), the description of the schema that holds it, as networknt would print the schema.
     */
    private String error(ValidationMessage m) {
        if ("not".equals(m.getType())) {
            JsonNodePath fragment = m.getSchemaLocation().getFragment();
            JsonNode holder = schemaTree;
            for (int i = 0; fragment != null && i < fragment.getNameCount() - 1 && holder != null; i++) {
                Object e = fragment.getElement(i);
                holder = e instanceof Integer index ? holder.get(index) : holder.get(String.valueOf(e));
            }
            if (holder != null && holder.hasNonNull("description")) {
                return holder.get("description").asText();
            }
        }
        String message = m.getMessage();
        String location = m.getInstanceLocation().toString();
        if (message.startsWith(location + ": ")) {
            message = message.substring(location.length() + 2);
        }
        return message;
    }

    private record Located(YamlNode node, int line) {
    }

    private static JsonNodePath prefix(JsonNodePath path, int count) {
        JsonNodePath p = path;
        while (p.getNameCount() > count) {
            p = p.getParent();
        }
        return p;
    }

    /**
     * The node at {@code path} (or its nearest written ancestor) and its line: of the key, for a mapping member or a
     * named {@code property} (e.g. an unknown one).
     */
    private static Located locate(YamlNode root, JsonNodePath path, String property) {
        Located at = new Located(root, root.line());
        for (int i = 0; i < path.getNameCount(); i++) {
            Optional<Located> next = child(at.node(), path.getElement(i));
            if (next.isEmpty()) {
                return at;
            }
            at = next.get();
        }
        if (property != null && at.node() instanceof YamlNode.Mapping map) {
            Optional<YamlNode.Entry> entry = map.entry(property);
            if (entry.isPresent()) {
                return new Located(entry.get().value(), entry.get().keyLine());
            }
        }
        return at;
    }

    private static Optional<Located> child(YamlNode node, Object element) {
        if (node instanceof YamlNode.Mapping map && element instanceof String key) {
            return map.entry(key).map(e -> new Located(e.value(), e.keyLine()));
        }
        if (node instanceof YamlNode.Sequence seq && element instanceof Integer index && index < seq.items().size()) {
            YamlNode item = seq.items().get(index);
            return Optional.of(new Located(item, item.line()));
        }
        return Optional.empty();
    }

    private static int lastLine(YamlNode node) {
        int last = node.line();
        if (node instanceof YamlNode.Sequence seq) {
            for (YamlNode item : seq.items()) {
                last = Math.max(last, lastLine(item));
            }
        } else if (node instanceof YamlNode.Mapping map) {
            for (YamlNode.Entry e : map.entries()) {
                last = Math.max(last, Math.max(e.keyLine(), lastLine(e.value())));
            }
        }
        return last;
    }
}
