package dev.tend.kv;

import java.util.Collection;
import java.util.List;

/**
 * A key or a pattern of keys, as NATS subjects: keys are dot-separated tokens, {@code *} matches exactly one
 * token and {@code >} (last only) one or more trailing tokens. {@code >} alone matches every key.
 */
public final class KeyFilter {
    /** Every key of the bucket. */
    public static final KeyFilter ALL = new KeyFilter(">");

    private final String pattern;
    private final String[] tokens;
    private final boolean literal;

    private KeyFilter(String pattern) {
        this.pattern = pattern;
        this.tokens = pattern.split("\\.", -1);
        this.literal = !pattern.contains("*") && !pattern.contains(">");
    }

    /** Parses a filter, throwing {@link InvalidKeyException} with the reason when it is malformed. */
    public static KeyFilter of(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidKeyException("a key or filter is required");
        }
        if (pattern.equals(">")) {
            return ALL;
        }
        String[] tokens = pattern.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals(">") && i != tokens.length - 1) {
                throw new InvalidKeyException("invalid filter \"" + pattern + "\": '>' may only be the last token");
            }
            if (t.length() > 1 && (t.contains("*") || t.contains(">"))) {
                throw new InvalidKeyException("invalid filter \"" + pattern
                        + "\": '*' and '>' must be whole tokens, e.g. users.*.name or users.>");
            }
        }
        String asKey = pattern.replace('*', 'x').replace('>', 'x');
        if (!Names.isValidKey(asKey)) {
            throw new InvalidKeyException("invalid filter \"" + Names.shorten(pattern)
                    + "\": use only A-Z, a-z, 0-9, - / _ = . and the wildcards * and >");
        }
        return new KeyFilter(pattern);
    }

    /** Parses several filters; an empty collection means every key. */
    public static List<KeyFilter> of(Collection<String> patterns) {
        if (patterns == null || patterns.isEmpty()) {
            return List.of(ALL);
        }
        return patterns.stream().map(KeyFilter::of).toList();
    }

    /** True when any of the filters matches the key. */
    public static boolean anyMatches(List<KeyFilter> filters, String key) {
        for (KeyFilter f : filters) {
            if (f.matches(key)) {
                return true;
            }
        }
        return false;
    }

    public boolean matches(String key) {
        if (literal) {
            return pattern.equals(key);
        }
        if (this == ALL) {
            return true;
        }
        String[] keyTokens = key.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals(">")) {
                return keyTokens.length > i;
            }
            if (i >= keyTokens.length) {
                return false;
            }
            if (!t.equals("*") && !t.equals(keyTokens[i])) {
                return false;
            }
        }
        return keyTokens.length == tokens.length;
    }

    /** True when the filter names exactly one key. */
    public boolean isLiteral() {
        return literal;
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyFilter f && f.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
