package dev.tend.cli.output;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How values are shown: text when printable, base64 otherwise. */
public final class Values {
    /** History tables shorten values longer than this in the middle. */
    static final int TABLE_WIDTH = 40;

    private Values() {
    }

    /** The value as UTF-8 text, or null when it is not valid UTF-8. */
    public static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** True when the value is UTF-8 text without control characters other than tab and line ends. */
    public static boolean isPrintable(byte[] value, boolean multiLine) {
        String s = utf8(value);
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (multiLine && (c == '\n' || c == '\t' || c == '\r')) {
                continue;
            }
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT && c != '\u200d') {
                return false;
            }
        }
        return true;
    }

    /** The value as text when printable ({@code multiLine}: line ends allowed), else as base64. */
    public static String display(byte[] value, boolean multiLine) {
        return isPrintable(value, multiLine) ? new String(value, StandardCharsets.UTF_8) : base64(value);
    }

    public static String base64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    /** Shortened in the middle to first 15 + {@code ...} + last 15 when longer than 40 characters. */
    public static String shorten(String s) {
        int n = s.codePointCount(0, s.length());
        if (n <= TABLE_WIDTH) {
            return s;
        }
        int headEnd = s.offsetByCodePoints(0, 15);
        int tailStart = s.offsetByCodePoints(0, n - 15);
        return s.substring(0, headEnd) + "..." + s.substring(tailStart);
    }
}
