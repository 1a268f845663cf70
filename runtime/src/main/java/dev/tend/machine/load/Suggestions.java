package dev.tend.machine.load;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for names a user mistyped: the closest candidate by edit distance, if it is close enough. Public for
 * its {@link #distance}, which the CLI's own suggestions use too.
 */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code input} (ignoring case), when the distance is small for the input's length: one
     * edit for short names, up to a third of the length for longer ones (at most 3); a name that differs only in case
     * is always suggested; failing that, a candidate that starts with the input (or the reverse). Ties go to the first
     * candidate.
     */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String in = input.toLowerCase(Locale.ROOT);
        int allowed = Math.max(1, Math.min(3, in.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(in, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best != null && !best.equals(input) && bestDistance <= allowed) {
            return Optional.of(best);
        }
        // A shortened or lengthened name ("machine" for "machine_name").
        if (in.length() >= 4) {
            for (String candidate : candidates) {
                String c = candidate.toLowerCase(Locale.ROOT);
                if (!candidate.equals(input) && (c.startsWith(in) || in.startsWith(c) && c.length() >= 4)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code " (did you mean "x"?)"} or the empty string. */
    static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(Suggestions::hint).orElse("");
    }

    /** {@code " (did you mean "x"?)"}. */
    static String hint(String suggestion) {
        return " (did you mean \"" + suggestion + "\"?)";
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours each cost one
     * (so "exce" is one edit from "exec").
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
