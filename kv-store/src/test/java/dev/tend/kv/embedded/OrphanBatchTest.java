package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.Operation;
import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead writer's batch: appended beyond the published mark (the appended mark raised past it), never forced nor
 * acknowledged, and no writer left with a batch pending. The next process settles it before it answers anything
 * (adopts it when intact, cuts it when torn), so that no later write can make it appear under entries already read.
 * A batch whose writer still holds the pending lock is left to that writer.
 */
class OrphanBatchTest {
    private static final String B = "orphans";

    @TempDir
    Path root;

    @Test
    void anIntactOrphanIsAdoptedBeforeTheFirstPointRead() throws IOException {
        seedWithOrphan(true);
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            assertThat(s.bucket(B).get("k")).as("the orphaned delete, adopted").isEmpty();
            assertThat(s.bucket(B).put("other", bytes("x"))).isEqualTo(3);
            assertThat(revisionsOfK(s)).containsExactly(1L, 2L);
        }
        assertHeadSettled();
    }

    @Test
    void anIntactOrphanIsAdoptedBeforeTheIndexAnswers() throws IOException {
        seedWithOrphan(true);
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            assertThat(s.bucket(B).keys()).isEmpty();
            assertThat(s.bucket(B).put("other", bytes("x"))).isEqualTo(3);
            assertThat(s.bucket(B).keys()).containsExactly("other");
        }
    }

    @Test
    void anIntactOrphanIsAdoptedBeforeAWriteWithoutTheIndex() throws IOException {
        seedWithOrphan(true);
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            assertThat(s.bucket(B).put("other", bytes("x"))).as("after the adopted delete").isEqualTo(3);
            assertThat(revisionsOfK(s)).containsExactly(1L, 2L);
        }
        assertHeadSettled();
    }

    @Test
    void aTornOrphanIsCutAndTheAppendedMarkComesDown() throws IOException {
        seedWithOrphan(false);
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            assertThat(s.bucket(B).get("k").map(e -> new String(e.value(), StandardCharsets.UTF_8))).contains("v1");
            assertThat(s.bucket(B).put("other", bytes("x"))).isEqualTo(2);
            assertThat(s.bucket(B).get("k")).isPresent();
            assertThat(revisionsOfK(s)).containsExactly(1L);
        }
        assertHeadSettled();
    }

    @Test
    void aBatchWhoseWriterIsAliveIsLeftToIt() throws IOException {
        seedWithOrphan(true);
        // Another writer of this JVM counts the batch as pending: a point read answers from the published mark.
        try (BucketLock writer = BucketLock.open(root.resolve(B), FileModes.OWNER)) {
            writer.beginPending();
            try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
                assertThat(s.bucket(B).get("k")).as("the batch is not published yet").isPresent();
                assertThat(s.engine(B).hasIndex()).as("a point read, no repair").isFalse();
            }
            writer.endPending();
        }
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            assertThat(s.bucket(B).get("k")).as("its writer gone, the batch is adopted").isEmpty();
        }
    }

    /**
     * A bucket with k=v1 (revision 1), then a delete of k at revision 2 appended after the published mark with the
     * appended mark raised past it, as a writer killed before its force leaves it; {@code intact} false leaves only
     * part of the record (the appended mark still past it, as after a power loss that kept the head).
     */
    private void seedWithOrphan(boolean intact) throws IOException {
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            s.create(BucketConfig.builder(B).history(3).build());
            assertThat(s.bucket(B).put("k", bytes("v1"))).isEqualTo(1);
        }
        Path dir = root.resolve(B);
        long g = Generation.highest(dir, B);
        ByteBuffer rec = ByteBuffer.allocate(LogFormat.recordLength(1, 0));
        LogFormat.encode(rec, Operation.DEL, 2, Times.nanos(java.time.Instant.now()), "k", new byte[0]);
        rec.flip();
        long end;
        try (FileChannel log = FileChannel.open(Generation.logPath(dir, g), StandardOpenOption.WRITE)) {
            long start = log.size();
            end = start + rec.remaining();
            if (!intact) {
                rec.limit(rec.limit() - 3);
            }
            log.write(rec, start);
        }
        try (HeadFile head = HeadFile.open(dir, true)) {
            head.raise(HeadFile.APPENDED_AT, g, end, true);
            HeadFile.State h = head.read();
            assertThat(h.appended()).as("the orphan lies beyond the published mark").isGreaterThan(h.length());
        }
    }

    private void assertHeadSettled() throws IOException {
        Path dir = root.resolve(B);
        long g = Generation.highest(dir, B);
        try (HeadFile head = HeadFile.open(dir, false);
             FileChannel log = FileChannel.open(Generation.logPath(dir, g), StandardOpenOption.READ)) {
            HeadFile.State h = head.read();
            assertThat(h.appended()).as("nothing left beyond the published mark").isEqualTo(h.length());
            assertThat(log.size()).as("the log ends at the marks").isEqualTo(h.length());
        }
    }

    private static List<Long> revisionsOfK(EmbeddedKvStore s) {
        return s.bucket(B).history("k").stream().map(Entry::revision).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
