package dev.tend.cli.kv;

import dev.tend.cli.command.DurationConverter;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.StorageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code tend kv add BUCKET}: creates a bucket (an identical one again is fine) and prints its information. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Adds a bucket. Adding an existing bucket with the same settings is a no-op.")
final class KvAdd extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET", description = "The bucket's name (A-Z, a-z, 0-9, - and _).")
    String bucket;

    @Option(names = "--history", paramLabel = "N", defaultValue = "5",
            description = "How many entries each key keeps, 1 to 64 (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--ttl", paramLabel = "DUR", converter = DurationConverter.class,
            description = "How long entries live, e.g. 1h or 7d (default: 0, forever).")
    Duration ttl = Duration.ZERO;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
            description = "Copies kept, 1 to 5; more than 1 needs the NATS backend (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--max-value-size", paramLabel = "BYTES", converter = LimitConverter.class,
            description = "The largest value: bytes or units (10KiB, 1MB) (default: unlimited).")
    long maxValueSize = BucketConfig.UNLIMITED;

    @Option(names = "--max-bucket-size", paramLabel = "BYTES", converter = LimitConverter.class,
            description = "The most bytes the bucket holds (default: unlimited).")
    long maxBucketSize = BucketConfig.UNLIMITED;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text about the bucket.")
    String description = "";

    @Option(names = "--storage", paramLabel = "file|memory", description = "Where the data lives (default: file).")
    StorageType storage = StorageType.FILE;

    @Option(names = "--mirror", paramLabel = "BUCKET", description = "Make this a read replica of BUCKET (NATS).")
    String mirror;

    @Override
    public Integer call() {
        BucketConfig config = BucketConfig.builder(bucket).history(history).ttl(ttl).replicas(replicas)
                .maxValueSize(maxValueSize).maxBucketSize(maxBucketSize).description(description)
                .storage(storage).mirror(mirror).build();
        try (KvStore store = openStore()) {
            var b = store.create(config);
            out().print(InfoBlock.render(b.status(), store.url()));
            out().flush();
        }
        return 0;
    }
}
