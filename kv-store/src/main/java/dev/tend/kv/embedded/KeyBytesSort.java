package dev.tend.kv.embedded;

/**
 * Sorts the key records of an index snapshot read whole ({@link HintFile#sortedLiveKeys}) by key, on the key bytes in
 * place: no key is made into a {@code String} to be compared. Each record starts with its key's length (unsigned short,
 * big-endian) followed by the key. Bytes compare unsigned and a key sorts before every longer key it begins with, which
 * for keys (ASCII: {@code dev.tend.kv.Names}) is the order of {@link String#compareTo}.
 *
 * <p>The prefix every key shares is skipped; the keys are sorted by their next 8 bytes, packed in longs in an array of
 * their own (a quicksort over it reads memory in order); each run of keys equal in those bytes is then sorted by a
 * three-way radix quicksort (Bentley and Sedgewick) from the byte after them: each pass partitions on one byte
 * position. Groups that still share a prefix longer than {@link #MAX_RADIX_DEPTH} bytes are merge sorted, so the
 * recursion stays shallow whatever the keys.
 */
final class KeyBytesSort {
    /** Ranges this short are insertion sorted. */
    private static final int INSERTION = 12;
    /** Past this byte position a group is merge sorted, which bounds the recursion to about this depth. */
    static final int MAX_RADIX_DEPTH = 64;

    private KeyBytesSort() {
    }

    /** Sorts {@code records[0..n)}, offsets of key records in {@code all}, by their keys. */
    static void sort(byte[] all, int[] records, int n) {
        // Keys often share a prefix (users.1.name, users.2.name): skipping it saves a pass over every key per byte.
        int shared = n == 0 ? 0 : keyLength(all, records[0]);
        for (int i = 1; i < n && shared > 0; i++) {
            shared = sharedPrefix(all, records[0], records[i], shared);
        }
        // First by the next 8 bytes of each key, packed in a long, in an array of their own: the records lie all over
        // the snapshot and reading them byte by byte in every pass misses the caches; the words are read in order.
        long[] words = new long[n];
        for (int i = 0; i < n; i++) {
            words[i] = word(all, records[i], shared);
        }
        quicksort(words, records, 0, n - 1);
        // Then each run of keys equal in those bytes that may go on after them, byte by byte from there.
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || words[i] != words[start]) {
                if (i - start > 1 && (words[start] & 0xff) != 0) {
                    radix(all, records, start, i - 1, shared + Long.BYTES);
                }
                start = i;
            }
        }
    }

    /**
     * Bytes {@code d} to {@code d + 7} of the key of the record at {@code r}, zeros past its end (a key has no zero
     * byte, so a key ending there sorts first, and a word whose last byte is zero holds the key's end), big-endian,
     * with the sign bit flipped so that signed comparison of words is the bytes' unsigned order.
     */
    private static long word(byte[] all, int r, int d) {
        int length = keyLength(all, r);
        long w = 0;
        for (int k = d; k < d + Long.BYTES; k++) {
            w = (w << 8) | (k < length ? all[r + 2 + k] & 0xff : 0);
        }
        return w ^ Long.MIN_VALUE;
    }

    /** Sorts {@code w[lo..hi]} and {@code r[lo..hi]} with it by {@code w}: at most log2(n) frames deep. */
    private static void quicksort(long[] w, int[] r, int lo, int hi) {
        while (hi - lo >= INSERTION) {
            int mid = lo + (hi - lo) / 2;
            // The median of three as the pivot, moved to lo.
            if (w[mid] < w[lo]) {
                swap(w, r, mid, lo);
            }
            if (w[hi] < w[lo]) {
                swap(w, r, hi, lo);
            }
            if (w[hi] < w[mid]) {
                swap(w, r, hi, mid);
            }
            swap(w, r, lo, mid);
            long pivot = w[lo];
            int i = lo;
            int j = hi + 1;
            while (true) {
                do {
                    i++;
                } while (i <= hi && w[i] < pivot);
                do {
                    j--;
                } while (w[j] > pivot);
                if (i >= j) {
                    break;
                }
                swap(w, r, i, j);
            }
            swap(w, r, lo, j);
            // w[lo..j) <= pivot == w[j] <= w(j..hi]
            if (j - lo < hi - j) {
                quicksort(w, r, lo, j - 1);
                lo = j + 1;
            } else {
                quicksort(w, r, j + 1, hi);
                hi = j - 1;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            long x = w[i];
            int y = r[i];
            int j = i - 1;
            while (j >= lo && w[j] > x) {
                w[j + 1] = w[j];
                r[j + 1] = r[j];
                j--;
            }
            w[j + 1] = x;
            r[j + 1] = y;
        }
    }

    private static void swap(long[] w, int[] r, int i, int j) {
        long t = w[i];
        w[i] = w[j];
        w[j] = t;
        int u = r[i];
        r[i] = r[j];
        r[j] = u;
    }

    private static int keyLength(byte[] all, int r) {
        return ((all[r] & 0xff) << 8) | (all[r + 1] & 0xff);
    }

    /**
     * How many of the first {@code limit} bytes the keys of the records at {@code r} and {@code s} share. A method of
     * its own, called once a key: the JIT compiles it after a few hundred keys.
     */
    private static int sharedPrefix(byte[] all, int r, int s, int limit) {
        int n = Math.min(limit, keyLength(all, s));
        for (int k = 0; k < n; k++) {
            if (all[r + 2 + k] != all[s + 2 + k]) {
                return k;
            }
        }
        return n;
    }

    /** The unsigned byte at {@code d} of the key of the record at {@code r}, or -1 past its end. */
    private static int byteAt(byte[] all, int r, int d) {
        int length = ((all[r] & 0xff) << 8) | (all[r + 1] & 0xff);
        return d < length ? all[r + 2 + d] & 0xff : -1;
    }

    /** Sorts {@code a[lo..hi]}, whose keys are equal before byte {@code d}. */
    private static void radix(byte[] all, int[] a, int lo, int hi, int d) {
        while (hi - lo >= INSERTION) {
            if (d > MAX_RADIX_DEPTH) {
                merge(all, a, lo, hi, d);
                return;
            }
            medianToLow(all, a, lo, lo + (hi - lo) / 2, hi, d);
            int v = byteAt(all, a[lo], d);
            int lt = lo;
            int gt = hi;
            int i = lo + 1;
            while (i <= gt) {
                int t = byteAt(all, a[i], d);
                if (t < v) {
                    swap(a, lt++, i++);
                } else if (t > v) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            // a[lo..lt) < v, a[lt..gt] == v, a(gt..hi] > v at byte d.
            if (v >= 0) {
                radix(all, a, lt, gt, d + 1);
            }
            // The smaller side recursively, the larger one in this loop: at most log2(n) frames at one depth.
            if (lt - lo < hi - gt) {
                radix(all, a, lo, lt - 1, d);
                lo = gt + 1;
            } else {
                radix(all, a, gt + 1, hi, d);
                hi = lt - 1;
            }
        }
        insertion(all, a, lo, hi, d);
    }

    /** Moves the record with the median byte at {@code d} of those at {@code lo}, {@code mid}, {@code hi} to {@code lo}. */
    private static void medianToLow(byte[] all, int[] a, int lo, int mid, int hi, int d) {
        int x = byteAt(all, a[lo], d);
        int y = byteAt(all, a[mid], d);
        int z = byteAt(all, a[hi], d);
        int m;
        if (x < y) {
            m = y < z ? mid : (x < z ? hi : lo);
        } else {
            m = x < z ? lo : (y < z ? hi : mid);
        }
        swap(a, lo, m);
    }

    private static void insertion(byte[] all, int[] a, int lo, int hi, int d) {
        for (int i = lo + 1; i <= hi; i++) {
            int r = a[i];
            int j = i - 1;
            while (j >= lo && compare(all, a[j], r, d) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = r;
        }
    }

    /** Merge sorts {@code a[lo..hi]} (keys equal before byte {@code d}): depth log2 of the range. */
    private static void merge(byte[] all, int[] a, int lo, int hi, int d) {
        int[] scratch = new int[hi - lo + 1];
        mergeSort(all, a, scratch, lo, hi, d);
    }

    private static void mergeSort(byte[] all, int[] a, int[] scratch, int lo, int hi, int d) {
        if (hi - lo < INSERTION) {
            insertion(all, a, lo, hi, d);
            return;
        }
        int mid = lo + (hi - lo) / 2;
        mergeSort(all, a, scratch, lo, mid, d);
        mergeSort(all, a, scratch, mid + 1, hi, d);
        int n = hi - lo + 1;
        int i = lo;
        int j = mid + 1;
        for (int k = 0; k < n; k++) {
            if (j > hi || (i <= mid && compare(all, a[i], a[j], d) <= 0)) {
                scratch[k] = a[i++];
            } else {
                scratch[k] = a[j++];
            }
        }
        System.arraycopy(scratch, 0, a, lo, n);
    }

    /** Compares the keys of the records at {@code r} and {@code s} from byte {@code d} on. */
    static int compare(byte[] all, int r, int s, int d) {
        int lr = ((all[r] & 0xff) << 8) | (all[r + 1] & 0xff);
        int ls = ((all[s] & 0xff) << 8) | (all[s + 1] & 0xff);
        int n = Math.min(lr, ls);
        for (int k = d; k < n; k++) {
            int x = all[r + 2 + k] & 0xff;
            int y = all[s + 2 + k] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return lr - ls;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
