package dev.tend.kv.embedded;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Self-checking values for the crash tests. A value is {@code TKV|key|run|seq|length|} followed by deterministic
 * filler bytes and a trailing CRC32C (8 hex digits) of everything before it, so a reader can tell from the bytes
 * alone whether a value is whole and which write it came from, and the test can regenerate the exact bytes.
 */
final class CrashValues {
    private static final HexFormat HEX = HexFormat.of();

    private CrashValues() {
    }

    /** The size of the value written for {@code key} at {@code seq}: small, medium, or large (about 50 KB). */
    static int sizeFor(String key, long seq) {
        int h = (int) ((seq * 31 + key.hashCode()) & 0x7fffffff);
        if (key.startsWith("huge")) {
            return 500_000 + h % 1_000_000;
        }
        if (key.startsWith("big")) {
            return 50_000 + h % 8_000;
        }
        if (key.startsWith("mid")) {
            return 3_000 + h % 5_000;
        }
        return 20 + h % 200;
    }

    /** The exact bytes of the value for {@code key} written by run {@code run} as its {@code seq}-th write. */
    static byte[] make(String key, int run, long seq) {
        return make(key, run, seq, sizeFor(key, seq));
    }

    static byte[] make(String key, int run, long seq, int size) {
        byte[] header = ("TKV|" + key + "|" + run + "|" + seq + "|" + size + "|").getBytes(StandardCharsets.US_ASCII);
        int total = Math.max(size, header.length + 8);
        byte[] v = new byte[total];
        System.arraycopy(header, 0, v, 0, header.length);
        SplittableRandom r = new SplittableRandom(key.hashCode() * 1_000_003L + run * 7_919L + seq);
        long bits = 0;
        for (int i = header.length; i < total - 8; i++) {
            // Printable filler keeps failure output readable; one random long gives eight bytes.
            if ((i - header.length) % 8 == 0) {
                bits = r.nextLong();
            }
            v[i] = (byte) ('a' + (bits & 15));
            bits >>>= 8;
        }
        CRC32C crc = new CRC32C();
        crc.update(v, 0, total - 8);
        byte[] tail = String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tail, 0, v, total - 8, 8);
        return v;
    }

    /** What a value claims to be, after its checksum and length were verified. */
    record Decoded(String key, int run, long seq) {
    }

    /**
     * Decodes and verifies a value.
     *
     * @throws IllegalStateException describing the damage when the value is not whole
     */
    static Decoded decode(byte[] v) {
        if (v.length < 12) {
            throw new IllegalStateException("value too short (" + v.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(v, 0, v.length - 8);
        String expected = String.format("%08x", crc.getValue());
        String actual = new String(v, v.length - 8, 8, StandardCharsets.US_ASCII);
        if (!expected.equals(actual)) {
            throw new IllegalStateException("value fails its checksum (" + v.length + " bytes, starts "
                    + preview(v) + ")");
        }
        String text = new String(v, 0, Math.min(v.length, 200), StandardCharsets.US_ASCII);
        String[] parts = text.split("\\|", 6);
        if (parts.length < 6 || !parts[0].equals("TKV")) {
            throw new IllegalStateException("value has no header: " + preview(v));
        }
        int size = Integer.parseInt(parts[4]);
        Decoded d = new Decoded(parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]));
        byte[] again = make(d.key(), d.run(), d.seq(), size);
        if (!java.util.Arrays.equals(again, v)) {
            throw new IllegalStateException("value differs from what " + d + " wrote: " + preview(v));
        }
        return d;
    }

    static String sha256(byte[] v) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(v));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String preview(byte[] v) {
        String s = new String(v, 0, Math.min(v.length, 60), StandardCharsets.ISO_8859_1)
                .replaceAll("[^\\x20-\\x7e]", "?");
        return "\"" + s + (v.length > 60 ? "...\"" : "\"");
    }
}
