package dev.tend.kv.embedded;

import dev.tend.kv.KeyFilter;
import dev.tend.kv.Operation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keys} as lines of bytes, each key followed by {@code '\n'} (keys are ASCII: {@code dev.tend.kv.Names}), sorted
 * as {@link String#compareTo} sorts them. Without the index ({@link #read}): the lines of the sorted keys file
 * ({@link SortedKeysFile}) merged with the keys the log after it touches, each placed by a binary search in the lines
 * and kept or dropped by its latest record there, as the index would apply those records ({@link KeyIndex#apply}
 * makes a key's last record its latest entry). With no such key and no filter the answer is the file's lines as they
 * were read: no copy, no string. Also the conversions between lines and lists of keys.
 */
final class KeyLines {
    private static final byte NEWLINE = '\n';

    private KeyLines() {
    }

    /**
     * The keys whose latest entry is a value and that a filter matches, from the sorted keys file of {@code generation}
     * and the log after it up to {@code committed}; null when that cannot answer (no usable file, too much log after
     * it). For a bucket without a TTL only (expiry depends on the clock and every entry's time).
     *
     * @throws IOException when the log cannot be read
     */
    static ByteBuffer read(StorageIo io, Path dir, Generation generation, long committed, List<KeyFilter> filters)
            throws IOException {
        SortedKeysFile.Lines lines;
        try {
            lines = SortedKeysFile.read(io, dir, generation, committed);
        } catch (IOException | RuntimeException e) {
            return null; // damaged or stale: the snapshot or the index answers
        }
        if (lines == null) {
            return null;
        }
        List<LogRecord> records = SnapshotScan.tail(generation.log(), lines.offset(), committed);
        if (records == null) {
            return null;
        }
        Map<String, Operation> latest = new HashMap<>();
        for (LogRecord r : records) {
            latest.put(r.key(), r.op());
        }
        String[] touched = latest.keySet().toArray(new String[0]);
        Arrays.sort(touched);
        boolean[] live = new boolean[touched.length];
        for (int i = 0; i < touched.length; i++) {
            live[i] = latest.get(touched[i]) == Operation.PUT;
        }
        return merge(lines.all(), lines.start(), lines.end(), touched, live, filters);
    }

    /**
     * The lines {@code all[start, end)} (sorted) with each of {@code touched} (sorted) removed, and added back where
     * {@code live}, keeping only the keys one of {@code filters} matches.
     */
    static ByteBuffer merge(byte[] all, int start, int end, String[] touched, boolean[] live,
                            List<KeyFilter> filters) {
        List<KeyFilter> only = filters.contains(KeyFilter.ALL) ? null : filters;
        if (touched.length == 0 && only == null) {
            return ByteBuffer.wrap(all, start, end - start);
        }
        int added = 0;
        for (int i = 0; i < touched.length; i++) {
            added += live[i] ? touched[i].length() + 1 : 0;
        }
        byte[] out = new byte[end - start + added];
        int o = 0;
        int p = start;
        for (int i = 0; i < touched.length; i++) {
            String key = touched[i];
            int at = search(all, p, end, key);
            o = copy(all, p, at, out, o, only);
            p = at < end && compareLine(all, at, key) == 0 ? at + key.length() + 1 : at;
            if (live[i] && (only == null || KeyFilter.anyMatches(only, key))) {
                o = putLine(out, o, key);
            }
        }
        o = copy(all, p, end, out, o, only);
        return ByteBuffer.wrap(out, 0, o);
    }

    /**
     * Where the first line of {@code all[lo, end)} (lines, sorted; {@code lo} the start of one) whose key is not below
     * {@code key} starts; {@code end} when there is none.
     */
    static int search(byte[] all, int lo, int end, String key) {
        int hi = end;
        while (lo < hi) {
            // Lines before lo are below the key, lines from hi on are not; hi is a line's start (or end).
            int s = (lo + hi) >>> 1;
            while (s > lo && all[s - 1] != NEWLINE) {
                s--;
            }
            if (compareLine(all, s, key) < 0) {
                lo = lineEnd(all, s) + 1;
            } else {
                hi = s;
            }
        }
        return lo;
    }

    /** The line at {@code s} against {@code key}, in {@link String#compareTo}'s order (for ASCII keys). */
    static int compareLine(byte[] all, int s, String key) {
        for (int i = 0; ; i++) {
            int b = all[s + i];
            boolean lineEnds = b == NEWLINE;
            if (lineEnds || i == key.length()) {
                return lineEnds ? (i == key.length() ? 0 : -1) : 1;
            }
            int c = key.charAt(i);
            if (b != c) {
                return (b & 0xff) - c;
            }
        }
    }

    /** Where the newline ending the line that {@code p} is in lies. */
    private static int lineEnd(byte[] all, int p) {
        int i = p;
        while (all[i] != NEWLINE) {
            i++;
        }
        return i;
    }

    /** Copies the lines {@code all[from, to)} to {@code out} at {@code o}, only those a filter matches unless null. */
    private static int copy(byte[] all, int from, int to, byte[] out, int o, List<KeyFilter> only) {
        if (only == null) {
            System.arraycopy(all, from, out, o, to - from);
            return o + to - from;
        }
        int p = from;
        int at = o;
        while (p < to) {
            int nl = lineEnd(all, p);
            if (KeyFilter.anyMatches(only, new String(all, p, nl - p, StandardCharsets.US_ASCII))) {
                System.arraycopy(all, p, out, at, nl + 1 - p);
                at += nl + 1 - p;
            }
            p = nl + 1;
        }
        return at;
    }

    /** Puts {@code key} (ASCII) and a newline at {@code at}; returns where they end. */
    private static int putLine(byte[] out, int at, String key) {
        for (int i = 0; i < key.length(); i++) {
            out[at + i] = (byte) key.charAt(i);
        }
        out[at + key.length()] = NEWLINE;
        return at + key.length() + 1;
    }

    /** The lines of {@code keys}. */
    static ByteBuffer of(List<String> keys) {
        int length = 0;
        for (String key : keys) {
            length += key.length() + 1;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (String key : keys) {
            at = putLine(out, at, key);
        }
        return ByteBuffer.wrap(out);
    }

    /** The keys of {@code lines} (between its position and limit; left as they are). */
    static List<String> strings(ByteBuffer lines) {
        byte[] all = lines.array();
        int p = lines.arrayOffset() + lines.position();
        int end = lines.arrayOffset() + lines.limit();
        List<String> out = new ArrayList<>();
        while (p < end) {
            int nl = lineEnd(all, p);
            out.add(new String(all, p, nl - p, StandardCharsets.US_ASCII));
            p = nl + 1;
        }
        return out;
    }
}
