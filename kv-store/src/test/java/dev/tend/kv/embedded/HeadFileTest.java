package dev.tend.kv.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The head read without mapping it (positional reads, a seqlock) sees whole states only, as the mapped read does. */
class HeadFileTest {
    @TempDir
    Path dir;

    @Test
    void unmappedAndMappedReadsAgree() throws Exception {
        try (HeadFile writer = HeadFile.open(dir, true); HeadFile reader = HeadFile.open(dir, false)) {
            assertThat(reader.readUnmapped()).as("never written").isNull();
            writer.write(new HeadFile.State(3, 4096, false));
            assertThat(reader.readUnmapped()).isEqualTo(new HeadFile.State(3, 4096, false));
            assertThat(reader.read()).isEqualTo(reader.readUnmapped());
            writer.write(new HeadFile.State(4, 100, true));
            assertThat(reader.readUnmapped()).isEqualTo(new HeadFile.State(4, 100, true));
            assertThat(writer.read()).isEqualTo(reader.readUnmapped());
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aReaderNeverSeesHalfAnUpdate() throws Exception {
        // Every state the writer publishes has length = 1000 + 3 * generation and deleted = odd generation; a torn
        // read would mix the fields of two states. The writer updates as fast as it can while the reader reads.
        int reads = 200_000;
        try (HeadFile writer = HeadFile.open(dir, true); HeadFile reader = HeadFile.open(dir, false)) {
            writer.write(new HeadFile.State(1, 1003, true));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread w = new Thread(() -> {
                try {
                    for (long g = 2; !stop.get(); g++) {
                        writer.write(new HeadFile.State(g, 1000 + 3 * g, g % 2 == 1));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "head-writer");
            w.start();
            long distinct = 0;
            long last = 0;
            try {
                for (int i = 0; i < reads; i++) {
                    HeadFile.State s = reader.readUnmapped();
                    assertThat(s).isNotNull();
                    assertThat(s.length()).as("length of generation %d", s.generation())
                            .isEqualTo(1000 + 3 * s.generation());
                    assertThat(s.deleted()).as("deleted flag of generation %d", s.generation())
                            .isEqualTo(s.generation() % 2 == 1);
                    assertThat(s.generation()).as("states only move forward").isGreaterThanOrEqualTo(last);
                    if (s.generation() != last) {
                        distinct++;
                    }
                    last = s.generation();
                }
            } finally {
                stop.set(true);
                w.join();
            }
            assertThat(failure.get()).isNull();
            System.out.println("HeadFileTest: " + reads + " unmapped reads saw " + distinct + " distinct states");
            assertThat(distinct).as("the reads overlapped the writes").isGreaterThan(1);
        }
    }
}
