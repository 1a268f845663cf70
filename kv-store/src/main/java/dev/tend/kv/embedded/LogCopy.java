package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Copies records between logs for a compaction, in large chunks. */
final class LogCopy {
    private LogCopy() {
    }

    /** Copies the retained records, in revision order, from {@code start}; returns the end offset. */
    static long retained(DataFile src, KeyIndex fresh, DataFile out, long start) throws IOException {
        List<long[]> locations = new ArrayList<>(Math.toIntExact(Math.min(fresh.values(), Integer.MAX_VALUE)));
        fresh.forEach((key, e) -> {
            for (int i = 0; i < KeyIndex.count(e); i++) {
                locations.add(new long[] {KeyIndex.revision(e, i), KeyIndex.offset(e, i),
                        KeyIndex.recordLength(key, e, i)});
            }
        });
        locations.sort(Comparator.comparingLong(l -> l[0]));
        long pos = start;
        ByteBuffer chunk = ByteBuffer.allocate(1024 * 1024);
        for (long[] l : locations) {
            int len = (int) l[2];
            if (chunk.remaining() < len) {
                pos = flush(chunk, out, pos);
                if (chunk.capacity() < len) {
                    chunk = ByteBuffer.allocate(len);
                }
            }
            ByteBuffer slice = chunk.slice(chunk.position(), len);
            src.readFully(slice, l[1]);
            chunk.position(chunk.position() + len);
        }
        return flush(chunk, out, pos);
    }

    private static long flush(ByteBuffer chunk, DataFile out, long pos) throws IOException {
        chunk.flip();
        int n = chunk.remaining();
        out.write(chunk, pos);
        chunk.clear();
        return pos + n;
    }

    /** Copies the bytes [from, to) of {@code src} to {@code out} at {@code outPos}; returns the end offset. */
    static long range(DataFile src, long from, long to, DataFile out, long outPos) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1024 * 1024);
        long pos = from;
        long o = outPos;
        while (pos < to) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), to - pos));
            src.readFully(chunk, pos);
            pos += chunk.limit();
            o = flush(chunk, out, o);
        }
        return o;
    }
}
