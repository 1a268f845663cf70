package dev.tend.kv.embedded;

/**
 * Sorts the key records of an index snapshot read whole ({@link HintFile#sortedLiveKeys}) by key, on the key bytes in
 * place: no key is made into a {@code String} to be compared. Each record starts with its key's length (unsigned short,
 * big-endian) followed by the key. Bytes compare unsigned and a key sorts before every longer key it begins with, which
 * for keys (ASCII: {@code dev.tend.kv.Names}) is the order of {@link String#compareTo}.
 *
 * <p>A three-way radix quicksort (Bentley and Sedgewick): each pass partitions on one byte position, so the shared
 * prefixes of keys such as {@code users.1234.name} are read about once per key rather than once per comparison.
 * Groups that still share a prefix longer than {@link #MAX_RADIX_DEPTH} bytes are merge sorted, so the recursion stays
 * shallow whatever the keys.
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
        radix(all, records, 0, n - 1, 0);
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
