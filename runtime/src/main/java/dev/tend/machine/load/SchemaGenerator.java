package dev.tend.machine.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.units.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the JSON Schema (draft-07) of machine.yaml for a set of watcher types. Internal: use
 * {@link dev.tend.machine.load.MachineSchema}.
 *
 * <p>The rule: a file the loader accepts never fails this schema, except for unknown keys: the schema refuses them
 * ({@code additionalProperties: false}, the strict form, what {@code validate --strict} accepts) where the loader only
 * warns. So wherever the loader converts loosely the schema accepts the loose forms too (a boolean as {@code true}, {@code "true"} or {@code 1}; property keys in any case), and
 * checks the loader makes that a schema cannot express (known states, unique names) are left to the loader.
 */
public final class SchemaGenerator {

    public static final String ID = "https://tend.dev/schemas/machine/v1/machine.json";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String REF = "#/definitions/";

    private SchemaGenerator() {
    }

    public static ObjectNode generate(WatcherRegistry registry) {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", ID);
        root.put("title", "Tend machine");
        root.put("description", "An autonomous agent: a finite state machine with watchers, in machine.yaml.");
        root.put("type", "object");
        root.set("required", strings("name", "version", "initial_state", "transitions", "watchers"));
        root.put("additionalProperties", false);
        ObjectNode props = root.putObject("properties");
        props.set("name", described(NODES.objectNode().<ObjectNode>set("type", strings("string", "boolean"))
                .put("pattern", MachineReader.NAME_PATTERN), "The machine's name; it names its data directory."));
        props.set("version", described(ref("text"), "The machine's version, SemVer (e.g. 1.0.0)."));
        props.set("initial_state", described(ref("name"), "The state the machine starts in."));
        props.set("splay_start", described(anyOf(
                NODES.objectNode().put("type", "number").put("minimum", 0),
                NODES.objectNode().put("type", "string").put("pattern", LooseValues.NUMBER_PATTERN),
                type("null")), "Start the watchers after a random delay of up to this many seconds."));
        props.set("transitions", NODES.objectNode().put("type", "array").put("minItems", 1)
                .set("items", ref("transition")));
        props.set("watchers", NODES.objectNode().put("type", "array").put("minItems", 1)
                .set("items", ref("watcher")));
        props.set(TendBlock.KEY, tendBlock());
        ObjectNode defs = root.putObject("definitions");
        defs.set("text", NODES.objectNode().<ObjectNode>set("type", strings("string", "number", "boolean"))
                .put("pattern", "\\S"));
        defs.set("optionalText", NODES.objectNode().set("type", strings("string", "number", "boolean", "null")));
        defs.set("name", ref("text"));
        defs.set("names", anyOf(ref("name"), NODES.objectNode().put("type", "array").set("items", ref("name"))));
        defs.set("interval", anyOf(
                NODES.objectNode().put("type", "string").put("pattern", MachineDurations.PROPERTY_PATTERN),
                NODES.objectNode().put("type", "string").put("pattern", MachineDurations.CALENDAR_PATTERN),
                NODES.objectNode().put("type", "string").put("pattern", "^\\s*$"),
                zero(), type("null")));
        defs.set("transition", transition());
        defs.set("watcher", watcher(registry));
        return root;
    }

    /** The top-level {@code tend:} mapping: Tend's own settings, which Choria ignores. */
    private static ObjectNode tendBlock() {
        ObjectNode t = NODES.objectNode().<ObjectNode>set("type", strings("object", "null"))
                .put("additionalProperties", false);
        t.put("description", "Settings only Tend reads; Choria ignores this key.");
        ObjectNode p = t.putObject("properties");
        p.set(TendBlock.RESUME_STATE, described(anyOf(type("boolean"),
                NODES.objectNode().put("type", "string").put("pattern", LooseValues.BOOLEAN_PATTERN),
                NODES.objectNode().put("type", "integer").put("minimum", 0).put("maximum", 1), type("null")),
                "After an agent restart or a reload of the same file, resume the last saved state and data instead of"
                        + " entering initial_state."));
        return t;
    }

    private static ObjectNode transition() {
        ObjectNode t = NODES.objectNode().put("type", "object").put("additionalProperties", false);
        t.set("required", strings("name", "from", "destination"));
        ObjectNode p = t.putObject("properties");
        p.set("name", described(ref("name"), "The event that fires this transition."));
        p.set("from", described(anyOf(ref("name"), NODES.objectNode().put("type", "array").put("minItems", 1)
                .set("items", ref("name"))), "The states in which the event is valid."));
        p.set("destination", described(ref("name"), "The state the event leads to."));
        p.set("description", ref("optionalText"));
        p.set("subscribe", described(NODES.objectNode().<ObjectNode>set("type", strings("array", "null"))
                .set("items", pair("machine_name", "event")),
                "Other machines' events on this node that fire this transition too."));
        return t;
    }

    private static ObjectNode watcher(WatcherRegistry registry) {
        ObjectNode w = NODES.objectNode().put("type", "object").put("additionalProperties", false);
        w.set("required", strings("name", "type"));
        ObjectNode p = w.putObject("properties");
        p.set("name", ref("name"));
        ObjectNode type = NODES.objectNode();
        if (!registry.types().isEmpty()) {
            type.set("enum", strings(registry.types().toArray(String[]::new)));
        } else {
            type.put("type", "string");
        }
        p.set("type", described(type, "The watcher type."));
        p.set("state_match", described(anyOf(ref("names"), type("null")),
                "The states in which the watcher is active; all when empty."));
        p.set("foreign_state_required", described(NODES.objectNode().<ObjectNode>set("type", strings("array", "null"))
                .set("items", pair("machine_name", "state")), "Other machines on this node must be in these states."));
        p.set("fail_transition", ref("optionalText"));
        p.set("success_transition", ref("optionalText"));
        p.set("interval", described(ref("interval"), "How often the watcher runs (e.g. 30s, 1h30m, 1d)."));
        p.set("announce_interval", described(ref("interval"), "Publish the watcher's state this often (at least 1m)."));
        p.set("properties", NODES.objectNode().set("type", strings("object", "null")));
        ArrayNode perType = NODES.arrayNode();
        for (WatcherFactory factory : registry.factories()) {
            perType.add(typeBlock(factory));
        }
        if (!perType.isEmpty()) {
            w.set("allOf", perType);
        }
        return w;
    }

    private static ObjectNode typeBlock(WatcherFactory factory) {
        ObjectNode block = NODES.objectNode();
        ObjectNode condition = block.putObject("if");
        condition.putObject("properties").putObject("type").put("const", factory.type());
        condition.set("required", strings("type"));
        ObjectNode then = block.putObject("then");
        then.putObject("properties").set("properties", properties(factory.properties()));
        if (factory.properties().stream().anyMatch(PropertySpec::isRequired)) {
            then.set("required", strings("properties"));
        }
        return block;
    }

    /** The {@code properties} mapping of one type: keys in any case and aliases; required ones present. */
    private static ObjectNode properties(List<PropertySpec> specs) {
        ObjectNode p = NODES.objectNode();
        p.set("type", strings("object", "null"));
        p.put("additionalProperties", false);
        ObjectNode named = p.putObject("properties");
        ObjectNode patterns = p.putObject("patternProperties");
        ArrayNode required = NODES.arrayNode();
        for (PropertySpec spec : specs) {
            ObjectNode value = value(spec);
            ObjectNode documented = value.deepCopy();
            if (!spec.description().isEmpty()) {
                documented.put("description", spec.description());
            }
            if (spec.defaultValue() != null) {
                documented.set("default", json(spec.defaultValue()));
            }
            named.set(spec.name().toLowerCase(Locale.ROOT), documented);
            List<String> keys = new ArrayList<>();
            keys.add(spec.name());
            keys.addAll(spec.aliases());
            for (String alias : spec.aliases()) {
                named.set(alias.toLowerCase(Locale.ROOT), value.deepCopy());
            }
            String anyCase = "^(" + String.join("|", keys.stream().map(SchemaGenerator::anyCase).toList()) + ")$";
            patterns.set(anyCase, value);
            if (spec.isRequired()) {
                // "Some key matches": no JSON Schema keyword says "required, any case", so: not (no key matches).
                ObjectNode noneMatch = NODES.objectNode();
                noneMatch.putObject("propertyNames").putObject("not").put("pattern", anyCase);
                ObjectNode someMatch = NODES.objectNode();
                someMatch.put("description", "property " + spec.name() + " is required");
                someMatch.set("not", noneMatch);
                required.add(someMatch);
            }
        }
        if (!required.isEmpty()) {
            p.set("allOf", required);
        }
        return p;
    }

    /** The values the loader takes for one property. */
    private static ObjectNode value(PropertySpec spec) {
        List<JsonNode> forms = new ArrayList<>();
        PropertyType type = spec.type();
        switch (type) {
            case STRING -> forms.addAll(stringForms(spec));
            case BOOLEAN -> {
                forms.add(type("boolean"));
                forms.add(NODES.objectNode().put("type", "string").put("pattern", LooseValues.BOOLEAN_PATTERN));
                forms.add(NODES.objectNode().put("type", "integer").put("minimum", 0).put("maximum", 1));
            }
            case INTEGER -> {
                forms.add(type("number"));
                forms.add(NODES.objectNode().put("type", "string").put("pattern", LooseValues.NUMBER_PATTERN));
            }
            case DURATION -> {
                forms.add(NODES.objectNode().put("type", "string").put("pattern", MachineDurations.PROPERTY_PATTERN));
                forms.add(zero());
            }
            case STRING_LIST -> {
                forms.add(scalar());
                forms.add(NODES.objectNode().put("type", "array").set("items", scalar()));
            }
            case MAP -> forms.add(type("object"));
            default -> {
                return NODES.objectNode();
            }
        }
        if (!spec.isRequired()) {
            forms.add(type("null"));
        }
        return forms.size() == 1 ? (ObjectNode) forms.get(0) : anyOf(forms.toArray(JsonNode[]::new));
    }

    private static List<JsonNode> stringForms(PropertySpec spec) {
        if (spec.allowedValues().isEmpty()) {
            return List.of(scalar());
        }
        // The loader compares the text written, so 1 and "1" both match an allowed "1".
        ArrayNode allowed = NODES.arrayNode();
        for (String v : spec.allowedValues()) {
            allowed.add(v);
            Object typed = CoreScalars.resolve(v);
            if (typed != null && !(typed instanceof String)) {
                allowed.add(MAPPER.valueToTree(typed));
            }
        }
        List<JsonNode> forms = new ArrayList<>();
        forms.add(NODES.objectNode().set("enum", allowed));
        if (spec.isTemplated()) {
            forms.add(NODES.objectNode().put("type", "string").put("pattern", "\\{\\{"));
        }
        return forms;
    }

    /** A case-insensitive regular expression for a key that ECMA and Java regular expressions both read. */
    private static String anyCase(String key) {
        StringBuilder b = new StringBuilder();
        for (char c : key.toCharArray()) {
            char lower = Character.toLowerCase(c);
            char upper = Character.toUpperCase(c);
            if (lower != upper) {
                b.append('[').append(upper).append(lower).append(']');
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                b.append(c);
            } else {
                b.append('\\').append(c);
            }
        }
        return b.toString();
    }

    private static JsonNode json(Object value) {
        if (value instanceof Duration d) {
            return NODES.textNode(Durations.format(d));
        }
        return MAPPER.valueToTree(value);
    }

    private static ObjectNode pair(String first, String second) {
        ObjectNode o = NODES.objectNode().put("type", "object").put("additionalProperties", false);
        o.set("required", strings(first, second));
        o.putObject("properties").<ObjectNode>set(first, ref("name")).set(second, ref("name"));
        return o;
    }

    private static ObjectNode scalar() {
        return NODES.objectNode().set("type", strings("string", "number", "boolean"));
    }

    private static ObjectNode zero() {
        return NODES.objectNode().put("type", "integer").put("minimum", 0).put("maximum", 0);
    }

    private static ObjectNode type(String name) {
        return NODES.objectNode().put("type", name);
    }

    private static ObjectNode ref(String definition) {
        return NODES.objectNode().put("$ref", REF + definition);
    }

    private static ObjectNode anyOf(JsonNode... forms) {
        ObjectNode o = NODES.objectNode();
        ArrayNode a = o.putArray("anyOf");
        for (JsonNode f : forms) {
            a.add(f);
        }
        return o;
    }

    private static ObjectNode described(ObjectNode schema, String description) {
        // Draft-07 ignores siblings of $ref, so a described reference is wrapped.
        if (schema.has("$ref")) {
            ObjectNode wrapper = NODES.objectNode();
            wrapper.set("allOf", NODES.arrayNode().add(schema));
            return wrapper.put("description", description);
        }
        return schema.put("description", description);
    }

    private static ArrayNode strings(String... values) {
        ArrayNode a = NODES.arrayNode();
        for (String v : values) {
            a.add(v);
        }
        return a;
    }
}
