package dev.tend.kv.compat;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.StorageType;
import dev.tend.kv.backup.BucketBackup;
import dev.tend.kv.nats.NatsServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Writes the files under {@code src/test/resources/compat/} that the compatibility tests read back: an embedded store
 * and backups, written through the public API. The committed fixtures were written by this class run against commit
 * 3318ee0 (before the bucket config had one codec); run it again only to add fixtures, never to replace those.
 *
 * <p>{@code java -cp <test classpath> dev.tend.kv.compat.CompatFixtureWriter OUT_DIR} (needs nats-server for the
 * NATS backup).
 */
public final class CompatFixtureWriter {

    /** Configs with every field away from its default, and text that JSON must escape. */
    public static final List<BucketConfig> EMBEDDED_CONFIGS = List.of(
            BucketConfig.builder("PLAIN").build(),
            BucketConfig.builder("FULL").description("Zoë's \"bucket\"\n\ttab € \\ \u0001 \uD83D\uDE00").history(64)
                    .ttl(Duration.ofHours(36)).maxValueSize(1024).maxBucketSize(10L * 1024 * 1024 * 1024).build(),
            BucketConfig.builder("odd_1-x").description("plain ascii").history(7).ttl(Duration.ofMillis(1500))
                    .maxValueSize(1).maxBucketSize(1L << 40).build());

    /** A NATS mirror: the fields the embedded store refuses (mirror, memory storage). */
    public static final BucketConfig ORIGIN = BucketConfig.builder("ORIGIN").history(3).build();
    public static final BucketConfig MIRROR = BucketConfig.builder("MIRROR").description("read replica").history(3)
            .ttl(Duration.ofMinutes(90)).maxValueSize(4096).maxBucketSize(1 << 20).storage(StorageType.MEMORY)
            .mirror("ORIGIN").build();

    private CompatFixtureWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(out);
        try (KvStore store = KvStore.builder().directory(out.resolve("store")).build()) {
            for (BucketConfig c : EMBEDDED_CONFIGS) {
                store.create(c);
            }
            Bucket plain = store.bucket("PLAIN");
            plain.put("a", "1");
            plain.put("bin", new byte[] {0, (byte) 0xff, 1});
            plain.put("c", "3");
            plain.delete("c");
            plain.put("d", "4");
            plain.purge("d");
            plain.put("e.f-g_h/i=j", "");
            Bucket full = store.bucket("FULL");
            full.put("k", "v1");
            full.put("k", "v2");
            BucketBackup.write(plain, out.resolve("backup-plain"));
            BucketBackup.write(full, out.resolve("backup-full"));
            BucketBackup.write(store.bucket("odd_1-x"), out.resolve("backup-empty"));
        }
        try (NatsServer server = NatsServer.start(); KvStore nats = KvStore.open(server.url())) {
            Bucket origin = nats.create(ORIGIN);
            origin.put("x", "1");
            origin.put("y", "2");
            Bucket mirror = nats.create(MIRROR);
            for (int i = 0; i < 100 && mirror.status().values() < 2; i++) {
                Thread.sleep(100);
            }
            BucketBackup.write(mirror, out.resolve("backup-nats-mirror"));
        }
    }
}
