package dev.tend.fleet.spec;

import java.util.HexFormat;

/** Hex text both ways, as Go's {@code encoding/hex}: lower case out, either case in, an even number of digits. */
final class Hex {

    private Hex() {
    }

    static String encode(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * @param what what the text is, for the message ({@code "public key"})
     * @throws SpecException when the text is not hex
     */
    static byte[] decode(String text, String what) throws SpecException {
        if (text.length() % 2 != 0) {
            throw new SpecException(what + " is not hex: odd length " + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 'f') {
                throw new SpecException(what + " is not hex: invalid character " + quote(text.charAt(i))
                        + " at " + i);
            }
        }
        return HexFormat.of().parseHex(text);
    }

    private static String quote(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
