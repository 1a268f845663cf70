package dev.tend.kv.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap buffers larger than {@link NioStorageIo#CHUNK} are moved in pieces (so the JDK's temporary direct buffer, kept
 * per thread, stays small), and what is written and read is still every byte, at the right place.
 */
class NioStorageIoTest {
    @TempDir
    Path dir;

    @Test
    void largeHeapBuffersAreWrittenAndReadWholeInPieces() throws Exception {
        byte[] data = new byte[NioStorageIo.CHUNK * 3 + 17];
        new Random(7).nextBytes(data);
        Path p = dir.resolve("f");
        NioStorageIo io = new NioStorageIo();
        try (DataFile f = io.open(p, true)) {
            ByteBuffer src = ByteBuffer.wrap(data, 5, data.length - 5);
            f.write(src, 100);
            assertThat(src.hasRemaining()).isFalse();
            assertThat(src.limit()).isEqualTo(data.length);
            assertThat(f.size()).isEqualTo(100 + data.length - 5);

            ByteBuffer dst = ByteBuffer.allocate(data.length - 5);
            assertThat(f.read(dst, 100)).as("one call moves one piece").isEqualTo(NioStorageIo.CHUNK);
            assertThat(dst.limit()).isEqualTo(data.length - 5);
            dst.clear();
            f.readFully(dst, 100);
            assertThat(dst.array()).isEqualTo(Arrays.copyOfRange(data, 5, data.length));

            ByteBuffer direct = ByteBuffer.allocateDirect(data.length - 5);
            f.readFully(direct, 100);
            direct.flip();
            byte[] back = new byte[direct.remaining()];
            direct.get(back);
            assertThat(back).isEqualTo(Arrays.copyOfRange(data, 5, data.length));
        }
        byte[] file = Files.readAllBytes(p);
        assertThat(Arrays.copyOfRange(file, 100, file.length)).isEqualTo(Arrays.copyOfRange(data, 5, data.length));
    }
}
