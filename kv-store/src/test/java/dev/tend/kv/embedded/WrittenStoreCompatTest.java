package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.compat.CompatFixtureWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded store written by an earlier Tend (src/test/resources/compat, see its README) reads back the same, and
 * today's code writes its {@code config.json} and log headers byte for byte as that Tend did.
 */
class WrittenStoreCompatTest {

    static Path fixture(String name) {
        try {
            return Path.of(WrittenStoreCompatTest.class.getResource("/compat/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void configJsonReadsBackAndIsWrittenByteForByte(@TempDir Path tmp) throws IOException {
        StorageIo io = new NioStorageIo();
        for (BucketConfig expected : CompatFixtureWriter.EMBEDDED_CONFIGS) {
            Path dir = fixture("store/" + expected.name());
            assertThat(ConfigFile.read(io, dir)).isEqualTo(expected);
            Path out = Files.createDirectories(tmp.resolve(expected.name()));
            ConfigFile.write(io, out, expected);
            assertThat(Files.readAllBytes(out.resolve(ConfigFile.NAME)))
                    .as(expected.name()).isEqualTo(Files.readAllBytes(dir.resolve(ConfigFile.NAME)));
        }
    }

    @Test
    void logHeadersReadBackAndAreEncodedByteForByte() throws IOException {
        StorageIo io = new NioStorageIo();
        for (BucketConfig expected : CompatFixtureWriter.EMBEDDED_CONFIGS) {
            Path log = fixture("store/" + expected.name() + "/log-1.tkv");
            LogFormat.Header header;
            try (DataFile f = io.open(log, false)) {
                header = LogFormat.Header.read(f, log);
            }
            assertThat(header.config()).isEqualTo(expected);
            assertThat(header.generation()).isEqualTo(1);
            assertThat(header.startRevision()).isZero();
            assertThat(header.droppedThrough()).isZero();
            ByteBuffer encoded = new LogFormat.Header(1, 0, 0, expected).encode();
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            assertThat(bytes).as(expected.name())
                    .isEqualTo(Arrays.copyOf(Files.readAllBytes(log), header.length()));
            assertThat(new LogFormat.Header(1, 0, 0, expected).length()).isEqualTo(header.length());
        }
    }

    @Test
    void theStoreOpensWithItsEntries(@TempDir Path tmp) throws IOException {
        Path store = tmp.resolve("store");
        copy(fixture("store"), store);
        try (KvStore kv = KvStore.builder().directory(store).build()) {
            assertThat(kv.bucketNames()).containsExactlyInAnyOrder("PLAIN", "FULL", "odd_1-x");
            for (BucketConfig expected : CompatFixtureWriter.EMBEDDED_CONFIGS) {
                assertThat(kv.bucket(expected.name()).status().config()).isEqualTo(expected);
            }
            Bucket plain = kv.bucket("PLAIN");
            assertThat(plain.get("a").orElseThrow().valueAsString()).isEqualTo("1");
            assertThat(plain.get("bin").orElseThrow().value()).containsExactly(0, 0xff, 1);
            assertThat(plain.get("c")).isEmpty();
            assertThat(plain.get("d")).isEmpty();
            assertThat(plain.history("c")).extracting(Entry::operation).containsExactly(Operation.DEL);
            assertThat(plain.history("d")).extracting(Entry::operation).containsExactly(Operation.PURGE);
            assertThat(plain.keys()).containsExactly("a", "bin", "e.f-g_h/i=j");
            assertThat(plain.status().lastRevision()).isEqualTo(7);
            assertThat(plain.put("z", "after")).isEqualTo(8);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
