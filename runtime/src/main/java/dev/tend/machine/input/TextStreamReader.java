package dev.tend.machine.input;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

import java.io.Reader;
import java.util.Arrays;

/**
 * SnakeYAML's {@link StreamReader} for a text already in memory, in time linear in its length. SnakeYAML's own reader
 * takes 1,023 characters at a time and copies its whole look-ahead window on each take, so scanning one token of n
 * characters copies about n²/1,023 of them: a comment runs to the end of its line, and a 5 MB one took about half a
 * minute and a gigabyte of heap. This one keeps the text's code points in one array and moves an index over them.
 *
 * <p>The same contract for SnakeYAML's scanner: {@code peek} past the end is 0, marks carry the index, line and column
 * (line breaks as YAML's: LF, CR not followed by LF, NEL, LS, PS), and a character YAML does not allow is a
 * {@link ReaderException} at its own position, thrown here before parsing starts.
 */
public final class TextStreamReader extends StreamReader {

    private static final String NAME = "'string'";

    private final int[] codePoints;
    private int pointer;
    private int documentIndex;
    private int line;
    private int column;

    public TextStreamReader(String text) {
        super(Reader.nullReader());
        int[] all = new int[text.length()];
        int n = 0;
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (!isPrintable(c)) {
                throw new ReaderException(NAME, n, c, "special characters are not allowed");
            }
            all[n++] = c;
            i += Character.charCount(c);
        }
        this.codePoints = n == all.length ? all : Arrays.copyOf(all, n);
    }

    @Override
    public Mark getMark() {
        return new Mark(NAME, pointer, line, column, codePoints, pointer);
    }

    @Override
    public void forward() {
        forward(1);
    }

    @Override
    public void forward(int length) {
        for (int i = 0; i < length && pointer < codePoints.length; i++) {
            int c = codePoints[pointer++];
            documentIndex++;
            if (Constant.LINEBR.has(c) || c == '\r' && pointer < codePoints.length && codePoints[pointer] != '\n') {
                line++;
                column = 0;
            } else if (c != 0xFEFF) {
                column++;
            }
        }
    }

    @Override
    public int peek() {
        return peek(0);
    }

    @Override
    public int peek(int index) {
        int at = pointer + index;
        return at < codePoints.length ? codePoints[at] : 0;
    }

    @Override
    public String prefix(int length) {
        int available = Math.max(0, Math.min(length, codePoints.length - pointer));
        return available == 0 ? "" : new String(codePoints, pointer, available);
    }

    /** The next {@code length} characters, moving past them; the scanner calls it only where there is no line break. */
    @Override
    public String prefixForward(int length) {
        String prefix = prefix(length);
        pointer += length;
        documentIndex += length;
        column += length;
        return prefix;
    }

    @Override
    public int getColumn() {
        return column;
    }

    @Override
    public int getDocumentIndex() {
        return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
        documentIndex = 0;
    }

    @Override
    public int getIndex() {
        return pointer;
    }

    @Override
    public int getLine() {
        return line;
    }
}
