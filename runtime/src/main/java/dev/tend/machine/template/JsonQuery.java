package dev.tend.machine.template;

import dev.tend.machine.template.TemplateFunction.FunctionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The part of gjson's path syntax machines use, over JSON-like values: {@code .}-separated keys, {@code \} escaping the
 * next character (so {@code a\.b} is one key), numeric indexes into arrays, {@code #} for an array's length (and
 * {@code list.#.key} for that key of every element), and {@code *}/{@code ?} wildcards in a key (the first key that
 * matches, in the object's order). gjson's queries ({@code #(...)}), modifiers ({@code @reverse}) and pipes are refused.
 */
final class JsonQuery {

    /** The answer for a path that leads nowhere (a found JSON {@code null} is {@code null}). */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    /** One path component: its literal text and, when it has wildcards, the pattern it matches. */
    private record Step(String key, Pattern wildcard, boolean count) {
    }

    private JsonQuery() {
    }

    /** The value at {@code path} in {@code root}, or {@link #MISSING}. */
    static Object find(Object root, String path) throws FunctionException {
        return walk(root, parse(path), 0);
    }

    private static Object walk(Object current, List<Step> steps, int index) {
        if (index == steps.size()) {
            return current;
        }
        Step step = steps.get(index);
        if (current instanceof List<?> list) {
            if (step.count()) {
                if (index + 1 == steps.size()) {
                    return list.size();
                }
                List<Object> each = new ArrayList<>();
                for (Object item : list) {
                    Object found = walk(item, steps, index + 1);
                    if (found != MISSING) {
                        each.add(found);
                    }
                }
                return each;
            }
            int i = arrayIndex(step.key());
            return step.wildcard() == null && i >= 0 && i < list.size() ? walk(list.get(i), steps, index + 1) : MISSING;
        }
        if (current instanceof Map<?, ?> map) {
            if (step.wildcard() == null) {
                return map.containsKey(step.key()) ? walk(map.get(step.key()), steps, index + 1) : MISSING;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (step.wildcard().matcher(String.valueOf(e.getKey())).matches()) {
                    return walk(e.getValue(), steps, index + 1);
                }
            }
        }
        return MISSING;
    }

    private static int arrayIndex(String key) {
        if (key.isEmpty() || key.length() > 9 || !key.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(key);
    }

    private static List<Step> parse(String path) throws FunctionException {
        List<Step> steps = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        StringBuilder regex = new StringBuilder();
        boolean wild = false;
        boolean escaped = false;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '.') {
                String k = key.toString();
                boolean count = k.equals("#") && !escaped; // \# is a key named "#"
                steps.add(new Step(k, wild ? Pattern.compile(regex.toString(), Pattern.DOTALL) : null, count));
                key.setLength(0);
                regex.setLength(0);
                wild = false;
                escaped = false;
                continue;
            }
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                char next = path.charAt(++i);
                key.append(next);
                regex.append(Pattern.quote(String.valueOf(next)));
                escaped |= next == '#';
                continue;
            }
            boolean atStart = key.length() == 0;
            if (c == '#' && atStart && i + 1 < path.length() && path.charAt(i + 1) == '(') {
                throw new FunctionException("gjson queries (#(...)) are not supported in \"" + path + "\"");
            }
            if (c == '@' && atStart) {
                throw new FunctionException("gjson modifiers (@...) are not supported in \"" + path + "\"");
            }
            if (c == '|') {
                throw new FunctionException("gjson pipes (|) are not supported in \"" + path + "\"");
            }
            key.append(c);
            if (c == '*' || c == '?') {
                wild = true;
                regex.append(c == '*' ? ".*" : ".");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return steps;
    }
}
