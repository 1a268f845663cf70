package dev.tend.cli.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one command in their plainest shape, read without picocli for the fast paths: positional
 * parameters, flags ({@code --json}) and options with one value ({@code --store URL} or {@code --store=URL}), each
 * given at most once, in any order. Anything else is not plain and {@link #parse} answers null, so that picocli reads
 * it (and gives its own answer or error): an unknown option or any other word starting with {@code -} (help,
 * {@code --}, a clustered {@code -fx}, a negative number), a value that is empty or starts with {@code -}, an
 * {@code @file} argument (picocli expands those), a repeated option, too few or too many positional parameters.
 *
 * @param positional the positional parameters, in order ({@code -} alone is one: standard input)
 * @param flags      the flags given
 * @param values     the options given with their values, by the name used in the table
 */
public record PlainArgs(List<String> positional, Set<String> flags, Map<String, String> values) {

    /** What a command accepts: its flags, its options with a value, and how many positional parameters. */
    public record Shape(Set<String> flags, Set<String> valueOptions, int minPositional, int maxPositional) {
    }

    /** The arguments from {@code args[from]} on, read by {@code shape}, or null when they are not plain. */
    public static PlainArgs parse(String[] args, int from, Shape shape) {
        List<String> positional = new ArrayList<>();
        Set<String> flags = new java.util.HashSet<>();
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) {
                return null;
            }
            if (a.equals("-") || !a.startsWith("-")) {
                if (positional.size() == shape.maxPositional()) {
                    return null;
                }
                positional.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (shape.flags().contains(name) && eq < 0) {
                if (!flags.add(name)) {
                    return null;
                }
            } else if (shape.valueOptions().contains(name)) {
                String value;
                if (eq >= 0) {
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return null;
                }
                if (!plainValue(value) || values.putIfAbsent(name, value) != null) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (positional.size() < shape.minPositional()) {
            return null;
        }
        return new PlainArgs(List.copyOf(positional), flags, values);
    }

    private static boolean plainValue(String value) {
        return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@");
    }

    /**
     * A value read as picocli's converter reads it ({@code Long.valueOf}), in its plainest form: digits only, no sign,
     * no leading zero, at most 18 of them; else null (picocli reads it).
     */
    public static Long plainLong(String value) {
        if (value == null || value.isEmpty() || value.length() > 18 || (value.length() > 1 && value.charAt(0) == '0')) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(value);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public String value(String option) {
        return values.get(option);
    }
}
