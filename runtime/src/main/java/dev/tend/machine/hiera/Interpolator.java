package dev.tend.machine.hiera;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.ExpressionSyntaxException;
import dev.tend.machine.template.ValueText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the {@code {{ expression }}} / {@code ${ expression }} placeholders of one resolution, with
 * {@code lookup()} over the node's facts as the only function (besides the language's built-ins). Not thread-safe: one
 * per resolution.
 */
final class Interpolator {

    /**
     * A hierarchy entry with its placeholders replaced.
     *
     * @param text    the entry's text
     * @param matched whether it names an override: it has no placeholder and is not empty, or at least one placeholder
     *                gave something other than nil or an empty string (a missing fact leaves {@code env:} unmatched)
     */
    record Entry(String text, boolean matched) {
    }

    private final CompiledExpressions expressions;
    private final Environment environment;

    Interpolator(CompiledExpressions expressions, Map<String, Object> facts) {
        this.expressions = expressions;
        this.environment = Environment.builder().function(FactLookup.over(facts)).build();
    }

    /** A hierarchy entry, as text. */
    Entry entry(String template, String where) throws HieraException {
        List<Placeholder> placeholders = Placeholder.find(template);
        if (placeholders.isEmpty()) {
            return new Entry(template, !template.isEmpty());
        }
        StringBuilder text = new StringBuilder();
        boolean matched = false;
        int last = 0;
        for (Placeholder p : placeholders) {
            Object value = evaluate(p.expression(), template, where);
            matched |= value != null && !"".equals(value);
            text.append(template, last, p.start()).append(ValueText.GO.of(value));
            last = p.end();
        }
        return new Entry(text.append(template.substring(last)).toString(), matched);
    }

    /**
     * A data value with every string in it expanded: a string that is one placeholder alone (white space around it
     * aside) becomes the expression's value with its type ({@code "{{ lookup('facts.port') }}"} gives a number), any
     * other string with placeholders becomes text. Returns a new value.
     */
    Object expand(Object value, String where) throws HieraException {
        if (value instanceof String s) {
            return expandText(s, where);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                result.put(key, expand(e.getValue(), where + "." + key));
            }
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                result.add(expand(list.get(i), where + "[" + i + "]"));
            }
            return result;
        }
        return value;
    }

    private Object expandText(String template, String where) throws HieraException {
        List<Placeholder> placeholders = Placeholder.find(template);
        if (placeholders.isEmpty()) {
            return template;
        }
        if (placeholders.size() == 1) {
            Placeholder only = placeholders.get(0);
            if (template.strip().equals(template.substring(only.start(), only.end()))) {
                return NumericValues.normalize(evaluate(only.expression(), template, where));
            }
        }
        return entry(template, where).text();
    }

    private Object evaluate(String expression, String template, String where) throws HieraException {
        try {
            return expressions.get(expression).evaluate(environment);
        } catch (ExpressionSyntaxException | EvaluationException e) {
            throw new HieraException(where + " \"" + template.replace("\n", "\\n") + "\": " + e.getMessage());
        }
    }
}
