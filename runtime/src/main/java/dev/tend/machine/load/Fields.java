package dev.tend.machine.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of one mapping in machine.yaml (the top level, a transition, a watcher, a nested item): warns about unknown
 * keys with a suggestion (the reference ignores them), and reads required and optional values, each problem located
 * at its line.
 */
final class Fields {

    /** A text value and the line it was written on. */
    record Located(String text, int line) {
    }

    private final YamlNode.Mapping map;
    private final String where;
    private final String prefix;
    private final Problems problems;

    /**
     * @param where  what the mapping is, for {@link dev.tend.machine.Problem#where()}, e.g. {@code watcher "check"}
     * @param prefix put before each message, for nested items, e.g. {@code subscribe item 1: }; may be empty
     * @param known  the keys this mapping may have
     */
    Fields(YamlNode.Mapping map, String where, String prefix, List<String> known, Problems problems) {
        this(map, where, prefix, known, List.of(), problems);
    }

    /**
     * @param unlisted keys this mapping may also have that a warning's list of known fields leaves out (Tend's own
     *                 {@code tend} block at the top level: the list names Choria's format), though they are suggested
     */
    Fields(YamlNode.Mapping map, String where, String prefix, List<String> known, List<String> unlisted,
           Problems problems) {
        this.map = map;
        this.where = where;
        this.prefix = prefix;
        this.problems = problems;
        List<String> candidates = new ArrayList<>(known);
        candidates.addAll(unlisted);
        for (YamlNode.Entry e : map.entries()) {
            if (!candidates.contains(e.key())) {
                String hint = Suggestions.closest(e.key(), candidates).map(Suggestions::hint)
                        .orElse("; known fields: " + MessageText.list(known));
                problems.warning(e.keyLine(), where, prefix + "unknown field " + MessageText.quote(e.key()) + hint);
            }
        }
    }

    /** {@code watcher "x"} when the item has a usable name, else {@code watcher 2} (1-based). */
    static String itemWhere(String kind, YamlNode item, int index) {
        if (item instanceof YamlNode.Mapping m) {
            Optional<YamlNode.Entry> name = m.entry("name");
            if (name.isPresent() && name.get().value() instanceof YamlNode.Scalar s && !s.isNull()
                    && !s.text().isBlank()) {
                return kind + " " + MessageText.quote(s.text());
            }
        }
        return kind + " " + (index + 1);
    }

    String where() {
        return where;
    }

    int line() {
        return map.line();
    }

    /** Whether {@code key} is written, even without a value. */
    boolean has(String key) {
        return map.entry(key).isPresent();
    }

    /** The line of {@code key}, or of the mapping when it is absent. */
    int line(String key) {
        return map.entry(key).map(YamlNode.Entry::keyLine).orElse(map.line());
    }

    /** The value of {@code key} unless it is absent or empty ({@code key:}, {@code ~}, {@code null}). */
    Optional<YamlNode> value(String key) {
        return map.entry(key).map(YamlNode.Entry::value)
                .filter(v -> !(v instanceof YamlNode.Scalar s && s.isNull()));
    }

    void error(String key, String message) {
        problems.error(line(key), where, prefix + message);
    }

    /** A text that must be present and not blank; {@code null} after reporting a problem. */
    String requiredText(String key) {
        Optional<YamlNode.Entry> entry = map.entry(key);
        if (entry.isEmpty()) {
            problems.error(map.line(), where, prefix + key + " is required");
            return null;
        }
        YamlNode value = entry.get().value();
        if (value instanceof YamlNode.Scalar s && (s.isNull() || s.text().isBlank())) {
            error(key, key + " must not be empty");
            return null;
        }
        try {
            return LooseValues.text(value);
        } catch (ValueException e) {
            error(key, key + " " + e.getMessage());
            return null;
        }
    }

    /** A text, or {@code null} when absent or empty (or not text: reported). */
    String optionalText(String key) {
        Optional<YamlNode> value = value(key);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LooseValues.text(value.get());
        } catch (ValueException e) {
            error(key, key + " " + e.getMessage());
            return null;
        }
    }

    /**
     * A list of non-empty texts; a single text is a one-element list; absent or empty is an empty list. Bad items are
     * reported and left out.
     */
    List<Located> textList(String key) {
        Optional<YamlNode> value = value(key);
        List<Located> out = new ArrayList<>();
        if (value.isEmpty()) {
            return out;
        }
        if (value.get() instanceof YamlNode.Scalar s) {
            if (s.text().isBlank()) {
                error(key, key + " must not be empty");
            } else {
                out.add(new Located(s.text(), line(key)));
            }
            return out;
        }
        if (!(value.get() instanceof YamlNode.Sequence seq)) {
            error(key, key + " must be a list, not " + value.get().describe());
            return out;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            if (item instanceof YamlNode.Scalar s && !s.isNull() && !s.text().isBlank()) {
                out.add(new Located(s.text(), item.line()));
            } else {
                String what = item instanceof YamlNode.Scalar ? "is empty" : "must be text, not " + item.describe();
                problems.error(item.line(), where, prefix + key + " item " + (i + 1) + " " + what);
            }
        }
        return out;
    }

    /**
     * The items of a list of mappings by their 0-based position (absent or empty: none); other items are reported and
     * left out.
     */
    Map<Integer, YamlNode.Mapping> mappingList(String key, String itemShape) {
        Optional<YamlNode> value = value(key);
        Map<Integer, YamlNode.Mapping> out = new LinkedHashMap<>();
        if (value.isEmpty()) {
            return out;
        }
        if (!(value.get() instanceof YamlNode.Sequence seq)) {
            error(key, key + " must be a list of " + itemShape + ", not " + value.get().describe());
            return out;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            if (item instanceof YamlNode.Mapping m) {
                out.put(i, m);
            } else {
                problems.error(item.line(), where, prefix + key + " item " + (i + 1) + " must be " + itemShape
                        + ", not " + item.describe());
            }
        }
        return out;
    }
}
