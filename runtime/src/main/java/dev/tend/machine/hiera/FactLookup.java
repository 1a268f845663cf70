package dev.tend.machine.hiera;

import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.ExpressionFunction;
import dev.tend.machine.expression.ValueTypes;
import dev.tend.machine.template.JsonPaths;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code lookup(path[, default])} function of Tiny Hiera's expressions. The path is a gjson path (the subset of
 * {@link JsonPaths}) into {@code {"facts": <the node's facts>, "data": null, "environ": null}}, so facts are looked up
 * as {@code lookup('facts.networking.fqdn')}. A path that finds nothing gives the default when one is given (and is
 * not nil), else an empty string. Numbers come back as the reference returns them: whole ones as integers, others as
 * floats.
 */
final class FactLookup {

    static final String NAME = "lookup";
    private static final Object MISSING = new Object();

    private FactLookup() {
    }

    static ExpressionFunction over(Map<String, Object> facts) {
        Map<String, Object> root = new HashMap<>();
        root.put("facts", facts);
        root.put("data", null);
        root.put("environ", null);
        return new ExpressionFunction(NAME, 1, 2, args -> {
            if (!(args.get(0) instanceof String path)) {
                throw new EvaluationException("lookup requires a string argument, not " + ValueTypes.name(args.get(0)));
            }
            Object found;
            try {
                found = JsonPaths.find(root, path, MISSING);
            } catch (IllegalArgumentException e) {
                throw new EvaluationException("lookup: " + e.getMessage());
            }
            if (found == MISSING) {
                Object otherwise = args.size() > 1 ? args.get(1) : null;
                return otherwise == null ? "" : otherwise;
            }
            return NumericValues.normalize(found);
        });
    }
}
