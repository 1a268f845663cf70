package dev.tend.cli.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a mistyped word was probably meant to be, for {@code (did you mean ...?)}: picocli's own suggester compares
 * letter pairs, which finds {@code get} for {@code gett} but nothing for a short name such as {@code pt}. A name is
 * near when it is one edit away (an insertion, deletion, substitution or swap of two neighbouring letters), two for
 * words of five letters or more, or when the word is the start of the name (two letters or more) or its letters appear
 * in it in order from the first (three letters or more). Of the near names, only those as few edits away as the
 * nearest are suggested.
 */
public final class Suggestions {

    /** At most this many names are suggested. */
    static final int MAX = 3;

    private Suggestions() {
    }

    /**
     * The names among {@code names} (and {@code extra}, others' suggestions) nearest to {@code typed}, nearest first,
     * at most {@link #MAX}; empty when none is near.
     */
    public static List<String> of(String typed, Collection<String> names, Collection<String> extra) {
        Set<String> near = new LinkedHashSet<>(extra);
        for (String name : names) {
            if (isNear(typed, name)) {
                near.add(name);
            }
        }
        near.remove(typed);
        int best = Integer.MAX_VALUE;
        for (String s : near) {
            best = Math.min(best, distance(typed, s));
        }
        List<String> closest = new ArrayList<>();
        for (String s : near) {
            if (distance(typed, s) == best && closest.size() < MAX) {
                closest.add(s);
            }
        }
        return closest;
    }

    /** {@code " (did you mean a or b?)"}, or empty when nothing is near. */
    public static String didYouMean(String typed, Collection<String> names, Collection<String> extra) {
        List<String> s = of(typed, names, extra);
        return s.isEmpty() ? "" : " (did you mean " + String.join(" or ", s) + "?)";
    }

    /** True when {@code name} is near enough to {@code typed} to suggest it (see the class comment). */
    static boolean isNear(String typed, String name) {
        if (typed.isEmpty() || name.isEmpty()) {
            return false;
        }
        String word = strip(typed);
        String candidate = strip(name);
        if (word.isEmpty() || candidate.isEmpty()) {
            return false;
        }
        int allowed = word.length() >= 5 ? 2 : 1;
        if (distance(word, candidate) <= allowed) {
            return true;
        }
        if (word.length() >= 2 && candidate.startsWith(word)) {
            return true;
        }
        return word.length() >= 3 && word.charAt(0) == candidate.charAt(0) && isSubsequence(word, candidate);
    }

    /** The word without its leading dashes: options compare by their names. */
    private static String strip(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        return s.substring(i);
    }

    private static boolean isSubsequence(String word, String name) {
        int j = 0;
        for (int i = 0; i < name.length() && j < word.length(); i++) {
            if (name.charAt(i) == word.charAt(j)) {
                j++;
            }
        }
        return j == word.length();
    }

    /**
     * The optimal string alignment distance: the fewest insertions, deletions, substitutions and swaps of two
     * neighbouring characters that make {@code a} into {@code b}, no substring edited twice.
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
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
