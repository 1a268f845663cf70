package dev.tend.machine.load;

import java.util.Optional;

/** The checks shared by the two required top-level lists, {@code transitions} and {@code watchers}. */
final class ListSection {

    private ListSection() {
    }

    /** Whether {@code key} is a non-empty list; otherwise reports why not. */
    static boolean check(Fields top, String key, String noun, Problems problems) {
        Optional<YamlNode> value = top.value(key);
        String need = "a machine needs at least one " + noun;
        if (value.isEmpty()) {
            top.error(key, key + (top.has(key) ? " is empty; " : " is required; ") + need);
            return false;
        }
        if (!(value.get() instanceof YamlNode.Sequence seq)) {
            top.error(key, key + " must be a list, not " + value.get().describe());
            return false;
        }
        if (seq.items().isEmpty()) {
            top.error(key, key + " is empty; " + need);
            return false;
        }
        return true;
    }
}
