package dev.tend.machine.input;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A text file's bytes as UTF-8 text, the one encoding Tend reads: a UTF-8 byte-order mark is dropped (YAML allows
 * it, and some Windows editors write it); a UTF-16 or UTF-32 one, which YAML also allows, is refused with a message
 * saying to save the file as UTF-8, rather than read as something else.
 */
public final class Utf8Text {

    private static final byte[] UTF_8_BOM = bytes(0xEF, 0xBB, 0xBF);

    /** The marks of the other encodings, UTF-32's first: the little-endian UTF-32 mark starts like UTF-16's. */
    private static final List<Mark> OTHER_MARKS = List.of(
            new Mark("UTF-32", bytes(0xFF, 0xFE, 0, 0)),
            new Mark("UTF-32", bytes(0, 0, 0xFE, 0xFF)),
            new Mark("UTF-16", bytes(0xFF, 0xFE)),
            new Mark("UTF-16", bytes(0xFE, 0xFF)));

    private record Mark(String encoding, byte[] bytes) {
    }

    private Utf8Text() {
    }

    /**
     * The text, without a UTF-8 byte-order mark.
     *
     * @throws NotUtf8Exception naming the line of the first byte that is not UTF-8, or the encoding a byte-order mark
     *                          announces
     */
    public static String decode(byte[] bytes) throws NotUtf8Exception {
        for (Mark mark : OTHER_MARKS) {
            if (startsWith(bytes, mark.bytes())) {
                throw new NotUtf8Exception(1, "the file is " + mark.encoding() + " text (it starts with a "
                        + mark.encoding() + " byte-order mark); save it as UTF-8");
            }
        }
        int start = startsWith(bytes, UTF_8_BOM) ? UTF_8_BOM.length : 0;
        try {
            return strict().decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8Exception(lineOfFirstMalformedByte(bytes, start), "the file is not UTF-8 text");
        }
    }

    private static CharsetDecoder strict() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The 1-based line of the first byte that is not UTF-8, or 0 when no single line has one. */
    private static int lineOfFirstMalformedByte(byte[] bytes, int from) {
        CharsetDecoder decoder = strict();
        int line = 1;
        int start = from;
        for (int i = from; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    decoder.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return 0;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
