package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.ExpressionFunction;
import dev.tend.machine.expression.ValueTypes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The built-in functions of expr that Tend has, with expr's meaning. Those that take a predicate ({@code all},
 * {@code filter}, ...) and the date functions are refused by the {@link Translator}.
 */
final class Builtins {

    private static final Map<String, ExpressionFunction> ALL;

    static {
        Map<String, ExpressionFunction> all = new TreeMap<>();
        for (ExpressionFunction f : List.of(
                ExpressionFunction.of("len", 1, a -> len(a.get(0))),
                ExpressionFunction.of("abs", 1, a -> {
                    Object v = number("abs", a.get(0));
                    return ExprValues.isInteger(v) ? (Object) Math.abs(ExprValues.toLong(v))
                            : (Object) Math.abs(ExprValues.toDouble(v));
                }),
                ExpressionFunction.of("ceil", 1, a -> Math.ceil(ExprValues.toDouble(number("ceil", a.get(0))))),
                ExpressionFunction.of("floor", 1, a -> Math.floor(ExprValues.toDouble(number("floor", a.get(0))))),
                ExpressionFunction.of("round", 1, a -> {
                    double d = ExprValues.toDouble(number("round", a.get(0)));
                    return d < 0 ? -Math.floor(-d + 0.5) : Math.floor(d + 0.5);
                }),
                new ExpressionFunction("max", 1, 8, a -> extreme("max", a, 1)),
                new ExpressionFunction("min", 1, 8, a -> extreme("min", a, -1)),
                ExpressionFunction.of("int", 1, a -> toInt(a.get(0))),
                ExpressionFunction.of("float", 1, a -> toFloat(a.get(0))),
                ExpressionFunction.of("string", 1, a -> ExprText.of(a.get(0))),
                ExpressionFunction.of("type", 1, a -> ValueTypes.name(a.get(0))),
                new ExpressionFunction("trim", 1, 2, a -> a.size() == 1 ? text("trim", a.get(0)).strip()
                        : trimChars(text("trim", a.get(0)), text("trim", a.get(1)))),
                ExpressionFunction.of("trimPrefix", 2, a -> {
                    String s = text("trimPrefix", a.get(0));
                    String p = text("trimPrefix", a.get(1));
                    return s.startsWith(p) ? s.substring(p.length()) : s;
                }),
                ExpressionFunction.of("trimSuffix", 2, a -> {
                    String s = text("trimSuffix", a.get(0));
                    String p = text("trimSuffix", a.get(1));
                    return s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
                }),
                ExpressionFunction.of("upper", 1, a -> text("upper", a.get(0)).toUpperCase(Locale.ROOT)),
                ExpressionFunction.of("lower", 1, a -> text("lower", a.get(0)).toLowerCase(Locale.ROOT)),
                new ExpressionFunction("split", 2, 3, a -> split(a)),
                ExpressionFunction.of("replace", 3, a -> text("replace", a.get(0)).replace(text("replace", a.get(1)),
                        text("replace", a.get(2)))),
                ExpressionFunction.of("repeat", 2, a -> {
                    long n = integer("repeat", a.get(1));
                    if (n < 0) {
                        throw new EvaluationException("repeat: negative count");
                    }
                    return text("repeat", a.get(0)).repeat((int) Math.min(n, 1 << 20));
                }),
                ExpressionFunction.of("indexOf", 2, a -> runeIndex(text("indexOf", a.get(0)),
                        text("indexOf", a.get(0)).indexOf(text("indexOf", a.get(1))))),
                ExpressionFunction.of("lastIndexOf", 2, a -> runeIndex(text("lastIndexOf", a.get(0)),
                        text("lastIndexOf", a.get(0)).lastIndexOf(text("lastIndexOf", a.get(1))))),
                ExpressionFunction.of("hasPrefix", 2, a -> text("hasPrefix", a.get(0))
                        .startsWith(text("hasPrefix", a.get(1)))),
                ExpressionFunction.of("hasSuffix", 2, a -> text("hasSuffix", a.get(0))
                        .endsWith(text("hasSuffix", a.get(1)))),
                ExpressionFunction.of("keys", 1, a -> new ArrayList<>(map("keys", a.get(0)).keySet())),
                ExpressionFunction.of("values", 1, a -> new ArrayList<>(map("values", a.get(0)).values())),
                ExpressionFunction.of("first", 1, a -> {
                    List<?> l = list("first", a.get(0));
                    return l.isEmpty() ? null : l.get(0);
                }),
                ExpressionFunction.of("last", 1, a -> {
                    List<?> l = list("last", a.get(0));
                    return l.isEmpty() ? null : l.get(l.size() - 1);
                }),
                new ExpressionFunction("join", 1, 2, a -> {
                    List<String> parts = new ArrayList<>();
                    for (Object o : list("join", a.get(0))) {
                        parts.add(text("join", o));
                    }
                    return String.join(a.size() > 1 ? text("join", a.get(1)) : "", parts);
                }),
                ExpressionFunction.of("get", 2, a -> {
                    try {
                        return a.get(0) == null ? null : ExprValues.fetch(a.get(0), a.get(1));
                    } catch (ExprError | IndexOutOfBoundsException e) {
                        return null;
                    }
                }),
                ExpressionFunction.of("toBase64", 1, a -> Base64.getEncoder()
                        .encodeToString(text("toBase64", a.get(0)).getBytes(StandardCharsets.UTF_8))),
                ExpressionFunction.of("fromBase64", 1, a -> {
                    try {
                        return new String(Base64.getDecoder().decode(text("fromBase64", a.get(0))),
                                StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        throw new EvaluationException("fromBase64: " + e.getMessage());
                    }
                }),
                new ExpressionFunction("concat", 1, 8, a -> {
                    List<Object> out = new ArrayList<>();
                    for (Object o : a) {
                        out.addAll(list("concat", o));
                    }
                    return out;
                }),
                ExpressionFunction.of("uniq", 1, a -> {
                    List<Object> out = new ArrayList<>();
                    for (Object o : list("uniq", a.get(0))) {
                        if (out.stream().noneMatch(x -> ExprValues.equal(x, o))) {
                            out.add(o);
                        }
                    }
                    return out;
                }),
                ExpressionFunction.of("reverse", 1, a -> {
                    List<Object> out = new ArrayList<>(list("reverse", a.get(0)));
                    Collections.reverse(out);
                    return out;
                }),
                new ExpressionFunction("sort", 1, 2, a -> sort(a)),
                ExpressionFunction.of("sum", 1, a -> {
                    Object total = 0L;
                    for (Object o : list("sum", a.get(0))) {
                        Object n = number("sum", o);
                        total = ExprValues.isInteger(total) && ExprValues.isInteger(n)
                                ? (Object) (ExprValues.toLong(total) + ExprValues.toLong(n))
                                : (Object) (ExprValues.toDouble(total) + ExprValues.toDouble(n));
                    }
                    return total;
                }),
                ExpressionFunction.of("count", 1, a -> {
                    long n = 0;
                    for (Object o : list("count", a.get(0))) {
                        if (!(o instanceof Boolean b)) {
                            throw new EvaluationException("count: expected bool, but got " + ValueTypes.name(o));
                        }
                        n += b ? 1 : 0;
                    }
                    return n;
                }))) {
            all.put(f.name(), f);
        }
        ALL = Collections.unmodifiableMap(all);
    }

    private Builtins() {
    }

    static Optional<ExpressionFunction> function(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    static java.util.Set<String> names() {
        return ALL.keySet();
    }

    private static Object len(Object v) throws EvaluationException {
        if (v instanceof String s) {
            return (long) s.codePointCount(0, s.length());
        }
        if (v instanceof List<?> l) {
            return (long) l.size();
        }
        if (v instanceof Map<?, ?> m) {
            return (long) m.size();
        }
        throw new EvaluationException("invalid argument for len (type " + ValueTypes.name(v) + ")");
    }

    private static Object extreme(String name, List<Object> args, int sign) throws EvaluationException {
        List<Object> values = args.size() == 1 && args.get(0) instanceof List<?> l ? new ArrayList<>(l) : args;
        if (values.isEmpty()) {
            return null;
        }
        Object best = number(name, values.get(0));
        for (Object o : values) {
            Object n = number(name, o);
            if (ExprValues.compare(name, n, best) * sign > 0) {
                best = n;
            }
        }
        return best;
    }

    private static Object toInt(Object v) throws EvaluationException {
        if (ExprValues.isNumber(v)) {
            return ExprValues.isInteger(v) ? ExprValues.toLong(v) : (long) ExprValues.toDouble(v);
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new EvaluationException("int: invalid syntax: " + s);
            }
        }
        throw new EvaluationException("invalid operation: int(" + ValueTypes.name(v) + ")");
    }

    private static Object toFloat(Object v) throws EvaluationException {
        if (ExprValues.isNumber(v)) {
            return ExprValues.toDouble(v);
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new EvaluationException("float: invalid syntax: " + s);
            }
        }
        throw new EvaluationException("invalid operation: float(" + ValueTypes.name(v) + ")");
    }

    private static String trimChars(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    private static Object split(List<Object> a) throws EvaluationException {
        String s = text("split", a.get(0));
        String sep = text("split", a.get(1));
        int limit = a.size() > 2 ? (int) integer("split", a.get(2)) : -1;
        if (limit == 0) {
            return List.of();
        }
        List<Object> out = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        for (String part : s.split(Pattern.quote(sep), limit < 0 ? -1 : limit)) {
            out.add(part);
        }
        return out;
    }

    private static Object sort(List<Object> a) throws EvaluationException {
        List<Object> out = new ArrayList<>(list("sort", a.get(0)));
        boolean descending = a.size() > 1 && "desc".equals(text("sort", a.get(1)));
        try {
            out.sort((x, y) -> ExprValues.compare("sort", x, y));
        } catch (ExprError e) {
            throw new EvaluationException(e.getMessage());
        }
        if (descending) {
            Collections.reverse(out);
        }
        return out;
    }

    private static long runeIndex(String s, int charIndex) {
        return charIndex < 0 ? -1 : s.codePointCount(0, charIndex);
    }

    private static String text(String function, Object v) throws EvaluationException {
        if (v instanceof String s) {
            return s;
        }
        throw new EvaluationException(function + ": expected string, but got " + ValueTypes.name(v));
    }

    private static Object number(String function, Object v) throws EvaluationException {
        if (ExprValues.isNumber(v)) {
            return v;
        }
        throw new EvaluationException(function + ": expected number, but got " + ValueTypes.name(v));
    }

    private static long integer(String function, Object v) throws EvaluationException {
        if (ExprValues.isInteger(v)) {
            return ExprValues.toLong(v);
        }
        throw new EvaluationException(function + ": expected int, but got " + ValueTypes.name(v));
    }

    private static List<?> list(String function, Object v) throws EvaluationException {
        if (v instanceof List<?> l) {
            return l;
        }
        throw new EvaluationException(function + ": expected array, but got " + ValueTypes.name(v));
    }

    private static Map<?, ?> map(String function, Object v) throws EvaluationException {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new EvaluationException(function + ": expected map, but got " + ValueTypes.name(v));
    }

}
