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
     * neighbouring characters that make {@code a} into {@code b} (the machine loader's, {@link
     * dev.tend.machine.load.Suggestions#distance}).
     */
    public static int distance(String a, String b) {
        return dev.tend.machine.load.Suggestions.distance(a, b);
    }
}
