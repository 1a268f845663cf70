package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.Durability;
import dev.tend.kv.contract.MutableClock;
import dev.tend.kv.spi.KvStoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a writer process reads of the log, counted through its storage layer: its first writes decode the tail after
 * the snapshot at most about {@link PointTail#BUDGET_BYTES} in all before it loads the index (not once per write), and
 * once it has the index a catch-up reads only the records other processes appended since.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PointTailTest {
    private static final String B = "T";
    /** Puts of about 1 KiB each after the snapshot: a tail of about 1 MiB. */
    private static final int TAIL_PUTS = 1_000;
    private static final byte[] VALUE = new byte[1_000];

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    /** Log bytes read through the stores opened with {@link #counted}. */
    private final AtomicLong logBytesRead = new AtomicLong();

    /** Counts the bytes read from the bucket's log files ({@code log-<g>.tkv}). */
    private final class CountingIo extends ForwardingStorageIo {
        @Override
        public DataFile open(Path path, boolean write) throws IOException {
            DataFile f = super.open(path, write);
            String name = path.getFileName().toString();
            if (!name.startsWith("log-") || !name.endsWith(".tkv")) {
                return f;
            }
            return new ForwardingDataFile(f) {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    int n = super.read(dst, position);
                    if (n > 0) {
                        logBytesRead.addAndGet(n);
                    }
                    return n;
                }
            };
        }
    }

    private EmbeddedKvStore plain() {
        return new EmbeddedKvStore(dir, options(), new NioStorageIo());
    }

    private EmbeddedKvStore counted() {
        return new EmbeddedKvStore(dir, options(), new CountingIo());
    }

    private KvStoreOptions options() {
        return new KvStoreOptions(dir.toUri(), clock, Durability.DURABLE, null, null, ConnectionOptions.defaults());
    }

    /** A bucket of 40 keys with a snapshot, then about 1 MiB of log after it; returns the tail's length. */
    private long bucketWithLongTail() throws IOException {
        try (EmbeddedKvStore s = plain()) {
            Bucket b = s.create(BucketConfig.builder(B).history(5).build());
            for (int i = 0; i < 40; i++) {
                b.put("k" + i, VALUE);
            }
            s.engine(B).writeSnapshot();
            long before = s.engine(B).view.generation().log().size();
            for (int i = 0; i < TAIL_PUTS; i++) {
                b.put("k" + (i % 40), VALUE);
            }
            return s.engine(B).view.generation().log().size() - before;
        }
    }

    @Test
    void aWriterProcessDecodesTheTailAfterTheSnapshotAboutOnceNotOncePerWrite() throws IOException {
        long tail = bucketWithLongTail();
        assertThat(tail).isBetween(900_000L, PointRead.MAX_TAIL_BYTES / 2);
        try (EmbeddedKvStore s = counted()) {
            Bucket b = s.bucket(B);
            long last = b.put("first", "x");
            assertThat(s.engine(B).hasIndex()).as("a one-shot write needs no index").isFalse();
            for (int i = 1; i <= BucketEngine.POINT_READS_BEFORE_INDEX; i++) {
                assertThat(b.put("n" + i, "x")).isEqualTo(++last);
            }
            assertThat(s.engine(B).hasIndex()).isTrue();
            // Without the budget each of the first 16 writes decoded the whole tail (17.5 MB read here), then the
            // index replayed it once more.
            assertThat(logBytesRead.get()).as("log bytes read by the writer's first 17 writes")
                    .isLessThanOrEqualTo(PointRead.MAX_TAIL_BYTES + 2 * tail + 64 * 1024);
        }
    }

    @Test
    void aPointReadLeavesTheWorkToTheIndexOnceTheBudgetIsSpent() throws IOException {
        long tail = bucketWithLongTail();
        try (EmbeddedKvStore s = counted()) {
            Bucket b = s.bucket(B);
            for (int i = 0; i < BucketEngine.POINT_READS_BEFORE_INDEX; i++) {
                assertThat(b.get("k" + i)).isPresent();
            }
            assertThat(s.engine(B).pointTail.decoded()).isLessThanOrEqualTo(PointRead.MAX_TAIL_BYTES + tail);
            assertThat(s.engine(B).hasIndex()).as("the budget was spent before the count").isTrue();
            assertThat(logBytesRead.get()).isLessThanOrEqualTo(PointRead.MAX_TAIL_BYTES + 2 * tail + 64 * 1024);
        }
    }

    @Test
    void withTheIndexACatchUpReadsOnlyWhatOthersAppendedSince() throws IOException {
        bucketWithLongTail();
        try (EmbeddedKvStore reader = counted(); EmbeddedKvStore other = plain()) {
            Bucket mine = reader.bucket(B);
            Bucket theirs = other.bucket(B);
            reader.engine(B).config(); // loads the index
            assertThat(reader.engine(B).hasIndex()).isTrue();
            for (int round = 0; round < 5; round++) {
                long before = other.engine(B).view.generation().log().size();
                for (int i = 0; i < 20; i++) {
                    theirs.put("k" + i, VALUE);
                }
                long appended = other.engine(B).view.generation().log().size() - before;
                logBytesRead.set(0);
                mine.put("mine", "x");
                assertThat(logBytesRead.get()).as("round %d: log bytes read by a write after %d new bytes", round,
                        appended).isLessThanOrEqualTo(appended + 8 * 1024);
            }
        }
    }
}
