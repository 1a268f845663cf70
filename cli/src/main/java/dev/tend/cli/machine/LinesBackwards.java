package dev.tend.cli.machine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

/**
 * Reads a file's lines from the last to the first, a block at a time, so that the recent end of a large file costs
 * only what is read of it. Empty lines are skipped.
 */
final class LinesBackwards {

    private static final int BLOCK = 8192;

    private LinesBackwards() {
    }

    /** Gives {@code visitor} each line, last first, until it returns false or the file's start. */
    static void read(Path file, Predicate<String> visitor) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = channel.size();
            byte[] carry = new byte[0]; // the start of a line whose rest was in the block read before
            while (position > 0) {
                int n = (int) Math.min(BLOCK, position);
                position -= n;
                ByteBuffer block = ByteBuffer.allocate(n + carry.length).limit(n);
                while (block.hasRemaining()) {
                    if (channel.read(block, position + block.position()) < 0) {
                        throw new IOException(file + " shrank while it was read");
                    }
                }
                block.limit(block.capacity()).put(carry);
                byte[] bytes = block.array();
                int end = bytes.length;
                for (int i = bytes.length - 1; i >= 0; i--) {
                    if (bytes[i] == '\n') {
                        if (!visit(bytes, i + 1, end, visitor)) {
                            return;
                        }
                        end = i;
                    }
                }
                ByteArrayOutputStream rest = new ByteArrayOutputStream(end);
                rest.write(bytes, 0, end);
                carry = rest.toByteArray();
            }
            visit(carry, 0, carry.length, visitor);
        }
    }

    private static boolean visit(byte[] bytes, int from, int to, Predicate<String> visitor) {
        if (to <= from) {
            return true;
        }
        return visitor.test(new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }
}
