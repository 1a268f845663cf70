package dev.tend.fleet.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A specification's list as JSON, both ways, as Choria's Go code does. Writing: the fields in {@code ManagedPlugin}'s
 * order ({@code name}, {@code source}, {@code username}, {@code password}, {@code verify_checksum}, {@code checksum},
 * {@code match}, {@code governor}); the plugins form omits empty {@code username}, {@code password}, {@code match} and
 * {@code governor} ({@code omitempty}), the older machines form writes every field. Reading: as
 * {@code json.Unmarshal}: keys matched exactly, else ignoring case; unknown keys ignored; {@code null} is empty.
 */
final class ItemsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final List<String> FIELDS = List.of("name", "source", "username", "password", "verify_checksum",
            "checksum", "match", "governor");

    private ItemsJson() {
    }

    static byte[] write(List<PluginItem> items, boolean omitEmpty) {
        GoJson json = new GoJson().beginArray();
        for (PluginItem item : items) {
            json.element().beginObject()
                    .field("name", item.name(), false)
                    .field("source", item.source(), false)
                    .field("username", item.username(), omitEmpty)
                    .field("password", item.password(), omitEmpty)
                    .field("verify_checksum", item.verifyChecksum(), false)
                    .field("checksum", item.checksum(), false)
                    .field("match", item.match(), omitEmpty)
                    .field("governor", item.governor(), omitEmpty)
                    .endObject();
        }
        return json.endArray().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws SpecException when the bytes are not a JSON list of objects with string fields */
    static List<PluginItem> read(byte[] bytes) throws SpecException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new SpecException("the list is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new SpecException("the list could not be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new SpecException("the list is empty text, not JSON");
        }
        if (root.isNull()) {
            return List.of();
        }
        if (!root.isArray()) {
            throw new SpecException("the list is a JSON " + kind(root) + ", not a list");
        }
        List<PluginItem> items = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            if (!node.isObject()) {
                throw new SpecException("item " + (i + 1) + " of the list is a JSON " + kind(node) + ", not an object");
            }
            String[] values = new String[FIELDS.size()];
            for (int f = 0; f < FIELDS.size(); f++) {
                values[f] = field(node, FIELDS.get(f), i + 1);
            }
            items.add(new PluginItem(values[0], values[1], values[2], values[3], values[4], values[5], values[6],
                    values[7]));
        }
        return List.copyOf(items);
    }

    private static String field(JsonNode object, String name, int item) throws SpecException {
        JsonNode value = object.get(name);
        if (value == null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                    value = e.getValue();
                }
            }
        }
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new SpecException("item " + item + " of the list: " + name + " is a JSON " + kind(value)
                    + ", not a string");
        }
        return value.textValue();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "list";
            case OBJECT -> "object";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
