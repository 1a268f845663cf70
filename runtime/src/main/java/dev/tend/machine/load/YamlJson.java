package dev.tend.machine.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link YamlNode} as JSON: a Jackson tree (for the JSON Schema) or JSON-like Java values (for MAP/ANY properties). */
final class YamlJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlJson() {
    }

    static JsonNode tree(YamlNode node) {
        if (node instanceof YamlNode.Scalar s) {
            Object value = s.plain() ? CoreScalars.resolve(s.text()) : s.text();
            if (value == null) {
                return NODES.nullNode();
            } else if (value instanceof Boolean b) {
                return NODES.booleanNode(b);
            } else if (value instanceof Long l) {
                return NODES.numberNode(l);
            } else if (value instanceof BigInteger b) {
                return NODES.numberNode(b);
            } else if (value instanceof Double d) {
                return NODES.numberNode(d);
            }
            return NODES.textNode((String) value);
        }
        if (node instanceof YamlNode.Sequence s) {
            ArrayNode array = NODES.arrayNode();
            s.items().forEach(i -> array.add(tree(i)));
            return array;
        }
        ObjectNode object = NODES.objectNode();
        ((YamlNode.Mapping) node).entries().forEach(e -> object.set(e.key(), tree(e.value())));
        return object;
    }

    /** String, Long/BigInteger, Double, Boolean, null, unmodifiable List and Map (in file order). */
    static Object plain(YamlNode node) {
        if (node instanceof YamlNode.Scalar s) {
            return s.plain() ? CoreScalars.resolve(s.text()) : s.text();
        }
        if (node instanceof YamlNode.Sequence s) {
            List<Object> list = new ArrayList<>();
            s.items().forEach(i -> list.add(plain(i)));
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        ((YamlNode.Mapping) node).entries().forEach(e -> map.put(e.key(), plain(e.value())));
        return Collections.unmodifiableMap(map);
    }
}
