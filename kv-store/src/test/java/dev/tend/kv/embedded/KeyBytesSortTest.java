package dev.tend.kv.embedded;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KeyBytesSort} orders key records as {@link String#compareTo} orders the keys: random keys over the key
 * alphabet, keys that are prefixes of others, equal keys, groups sharing prefixes past the radix depth, sizes around
 * the insertion-sort cut-off, and already sorted and reversed input.
 */
class KeyBytesSortTest {
    private static final String ALPHABET = "-/_=.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Sorts {@code keys} as records (length, key, one filler byte between records) and reads them back. */
    private static List<String> sortAsRecords(List<String> keys) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] records = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            bytes.write(7); // something between records, as a record's entries are
            records[i] = bytes.size();
            byte[] k = keys.get(i).getBytes(StandardCharsets.US_ASCII);
            bytes.write(k.length >>> 8);
            bytes.write(k.length & 0xff);
            bytes.writeBytes(k);
        }
        byte[] all = bytes.toByteArray();
        KeyBytesSort.sort(all, records, records.length);
        List<String> out = new ArrayList<>();
        for (int r : records) {
            int length = ((all[r] & 0xff) << 8) | (all[r + 1] & 0xff);
            out.add(new String(all, r + 2, length, StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static void assertSortsAsStrings(List<String> keys) {
        List<String> expected = new ArrayList<>(keys);
        Collections.sort(expected);
        assertThat(sortAsRecords(keys)).containsExactlyElementsOf(expected);
    }

    private static String randomKey(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Test
    void randomKeysOfEverySize() {
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 2, 11, 12, 13, 50, 1_000, 20_000}) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                keys.add(randomKey(random, 1 + random.nextInt(random.nextBoolean() ? 3 : 20)));
            }
            assertSortsAsStrings(keys);
        }
    }

    @Test
    void prefixesEqualKeysAndLongSharedPrefixes() {
        Random random = new Random(11);
        List<String> keys = new ArrayList<>();
        String deep = "x".repeat(KeyBytesSort.MAX_RADIX_DEPTH * 3);
        for (int i = 0; i < 2_000; i++) {
            keys.add(deep + randomKey(random, random.nextInt(3)));
            keys.add("a".repeat(1 + random.nextInt(100)));
            keys.add("key." + i);
            keys.add("key." + (i % 100)); // equal keys
        }
        keys.add(deep);
        assertSortsAsStrings(keys);
    }

    @Test
    void sortedAndReversedInput() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add("users." + i + ".name");
        }
        Collections.sort(keys);
        assertSortsAsStrings(keys);
        Collections.reverse(keys);
        assertSortsAsStrings(keys);
    }
}
