package dev.tend.kv.embedded;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A watch's initial entries, the key and revision of each, in revision order: the keys' bytes side by side in one
 * array, where each ends in an {@code int[]}, the revisions in a {@code long[]} (about 22 bytes an entry of a key of
 * ten characters, against about 90 for a list of records holding strings). Built once, then only read.
 */
final class InitialEntries {
    static final InitialEntries NONE = new InitialEntries(new byte[0], new int[0], new long[0]);

    private final byte[] keys;
    private final int[] keyEnds;
    private final long[] revisions;

    private InitialEntries(byte[] keys, int[] keyEnds, long[] revisions) {
        this.keys = keys;
        this.keyEnds = keyEnds;
        this.revisions = revisions;
    }

    int size() {
        return revisions.length;
    }

    /** Entries {@code from} (inclusive) to {@code to} (exclusive), made into locations. */
    List<EmbeddedWatch.Location> slice(int from, int to) {
        List<EmbeddedWatch.Location> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int start = i == 0 ? 0 : keyEnds[i - 1];
            out.add(new EmbeddedWatch.Location(new String(keys, start, keyEnds[i] - start, StandardCharsets.UTF_8),
                    revisions[i]));
        }
        return out;
    }

    /** Collects entries in any order; {@link #build} puts them in revision order. Revisions must be distinct. */
    static final class Builder {
        private byte[] keys = new byte[64];
        private int keyBytes;
        private int[] keyEnds = new int[8];
        private long[] revisions = new long[8];
        private int size;

        void add(String key, long revision) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            if (size == revisions.length) {
                int capacity = size + (size >> 1) + 1;
                keyEnds = Arrays.copyOf(keyEnds, capacity);
                revisions = Arrays.copyOf(revisions, capacity);
            }
            if (keyBytes + k.length > keys.length) {
                keys = Arrays.copyOf(keys, Math.max(keyBytes + k.length, keys.length + (keys.length >> 1)));
            }
            System.arraycopy(k, 0, keys, keyBytes, k.length);
            keyBytes += k.length;
            keyEnds[size] = keyBytes;
            revisions[size] = revision;
            size++;
        }

        InitialEntries build() {
            if (size == 0) {
                return NONE;
            }
            long[] sorted = Arrays.copyOf(revisions, size);
            Arrays.sort(sorted);
            // Each entry's place in revision order, found by its revision (distinct) in the sorted copy.
            int[] rank = new int[size];
            int[] lengthAt = new int[size];
            for (int i = 0; i < size; i++) {
                int r = Arrays.binarySearch(sorted, revisions[i]);
                rank[i] = r;
                lengthAt[r] = keyEnds[i] - (i == 0 ? 0 : keyEnds[i - 1]);
            }
            int[] ends = new int[size];
            int end = 0;
            for (int r = 0; r < size; r++) {
                end += lengthAt[r];
                ends[r] = end;
            }
            byte[] laidOut = new byte[keyBytes];
            for (int i = 0; i < size; i++) {
                int start = i == 0 ? 0 : keyEnds[i - 1];
                int length = keyEnds[i] - start;
                System.arraycopy(keys, start, laidOut, ends[rank[i]] - length, length);
            }
            return new InitialEntries(laidOut, ends, sorted);
        }
    }
}
