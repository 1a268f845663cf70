package dev.tend.cli.kv;

import dev.tend.cli.output.Json;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.StorageType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Writes {@code compat/info-json.txt}: what {@code tend kv info --json} and {@code tend kv ls --json} print for
 * {@link #STATUSES}. The committed file was written against commit 3318ee0.
 */
public final class InfoJsonFixtureWriter {

    public static final List<BucketStatus> STATUSES = List.of(
            new BucketStatus(BucketConfig.builder("PLAIN").build(), 0, 0, 0, "embedded", "/var/lib/tend/kv"),
            new BucketStatus(BucketConfig.builder("FULL")
                    .description("Zoë's \"bucket\"\n\ttab € \\ \u0001 \uD83D\uDE00").history(64)
                    .ttl(Duration.ofHours(36)).maxValueSize(1024).maxBucketSize(10L * 1024 * 1024 * 1024)
                    .build(), 12, 3456, 99, "embedded", "/s"),
            new BucketStatus(BucketConfig.builder("odd_1-x").history(7).ttl(Duration.ofMillis(1500)).maxValueSize(1)
                    .maxBucketSize(1L << 40).build(), 1, 28, 1, "embedded", "/s"),
            new BucketStatus(BucketConfig.builder("MIRROR").description("read replica").history(3)
                    .ttl(Duration.ofMinutes(90)).maxValueSize(4096).maxBucketSize(1 << 20).storage(StorageType.MEMORY)
                    .mirror("ORIGIN").replicas(3).build(), 2, 120, 2, "nats", "nats://127.0.0.1:4222",
                    new BucketStatus.Cluster("c1", "n1", List.of(new BucketStatus.Peer("n2", true, false),
                            new BucketStatus.Peer("n3", false, true)))));

    private InfoJsonFixtureWriter() {
    }

    /** Every status as info prints it, then all of them as ls prints them. */
    static String render() {
        StringBuilder out = new StringBuilder();
        for (BucketStatus s : STATUSES) {
            out.append(Json.pretty(Json.bucket(s))).append('\n');
        }
        return out.append(Json.pretty(Json.buckets(STATUSES))).append('\n').toString();
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        Files.writeString(out.resolve("info-json.txt"), render(), StandardCharsets.UTF_8);
    }
}
