package dev.tend.machine.expression.jexl;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An expression translated to JEXL: the JEXL text, where each of its pieces came from in the expr text (to report
 * JEXL's errors at the user's position), and the variables it reads, which the JEXL text names {@code __v0},
 * {@code __v1}, ... (so that no variable name can clash with a JEXL keyword).
 *
 * @param jexl      the JEXL text, one line
 * @param origins   offset in {@code jexl} of each piece → offset in the expr text it came from
 * @param variables the expr variables, by their index in the JEXL names
 * @param usesEnvironment whether it reads a variable or calls a function of the environment (else it is constant)
 */
record Translation(String jexl, NavigableMap<Integer, Integer> origins, List<String> variables,
                   boolean usesEnvironment) {

    Translation {
        origins = new TreeMap<>(origins);
        variables = List.copyOf(variables);
    }

    static String variableName(int index) {
        return "__v" + index;
    }

    /** The expr offset of a JEXL offset: that of the piece it falls in. */
    int origin(int jexlOffset) {
        var entry = origins.floorEntry(jexlOffset);
        return entry == null ? 0 : entry.getValue();
    }
}
