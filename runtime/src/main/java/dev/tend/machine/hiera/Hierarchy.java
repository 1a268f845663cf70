package dev.tend.machine.hiera;

import dev.tend.machine.expression.ValueTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A document's {@code hierarchy} section.
 *
 * @param order the override names to try, in order, each a text with placeholders
 * @param merge the merge strategy as written, lower-cased; empty means {@code first}
 */
record Hierarchy(List<String> order, String merge) {

    static final String FIRST = "first";
    static final String DEEP = "deep";

    /** What a document without a {@code hierarchy} section gets: the single override {@code default}. */
    static final Hierarchy DEFAULT = new Hierarchy(List.of("default"), "");

    Hierarchy {
        order = List.copyOf(order);
    }

    /**
     * Reads the section: a map whose {@code order} is a list of strings; a {@code merge} that is not a string counts as
     * none. A merge strategy other than {@code first} or {@code deep} is refused only when an override matches, as the
     * reference does.
     */
    static Hierarchy of(Object section) throws HieraException {
        if (!(section instanceof Map<?, ?> map)) {
            throw new HieraException("hierarchy must be a map with an order list, not " + ValueTypes.name(section));
        }
        if (!(map.get("order") instanceof List<?> list)) {
            throw new HieraException("hierarchy.order must be a list");
        }
        List<String> order = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new HieraException("hierarchy.order must contain only strings, not " + ValueTypes.name(item));
            }
            order.add(s);
        }
        String merge = map.get("merge") instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
        return new Hierarchy(order, merge);
    }

    /** The strategy to use: {@code first} when none was given. */
    String strategy() {
        return merge.isEmpty() ? FIRST : merge;
    }
}
