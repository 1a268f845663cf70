package dev.tend.cli.kv;

import dev.tend.cli.command.DurationConverter;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code tend kv edit BUCKET}: changes only the settings given. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Changes a bucket's settings: only those given change.")
final class KvEdit extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Option(names = "--history", paramLabel = "N", description = "How many entries each key keeps, 1 to 64.")
    Integer history;

    @Option(names = "--ttl", paramLabel = "DUR", converter = DurationConverter.class,
            description = "How long entries live; 0 keeps them forever.")
    Duration ttl;

    @Option(names = "--replicas", paramLabel = "N", description = "Copies kept (NATS).")
    Integer replicas;

    @Option(names = "--max-value-size", paramLabel = "BYTES", converter = LimitConverter.class,
            description = "The largest value: bytes, units (10KiB, 1MB) or unlimited.")
    Long maxValueSize;

    @Option(names = "--max-bucket-size", paramLabel = "BYTES", converter = LimitConverter.class,
            description = "The most bytes the bucket holds: bytes, units or unlimited.")
    Long maxBucketSize;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text about the bucket.")
    String description;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        if (history == null && ttl == null && replicas == null && maxValueSize == null && maxBucketSize == null
                && description == null) {
            throw new InvalidInputException("nothing to change: give at least one of --history, --ttl, --replicas,"
                    + " --max-value-size, --max-bucket-size, --description");
        }
        // Validate what was given before touching the store.
        BucketConfig.Builder probe = BucketConfig.builder(bucket);
        apply(probe).build();
        try (KvStore store = openStore()) {
            BucketConfig current = store.bucket(bucket).status().config();
            Bucket b = store.update(apply(current.toBuilder()).build());
            out().print(InfoBlock.render(b.status(), store.url()));
            out().flush();
        }
        return 0;
    }

    private BucketConfig.Builder apply(BucketConfig.Builder b) {
        if (history != null) {
            b.history(history);
        }
        if (ttl != null) {
            b.ttl(ttl);
        }
        if (replicas != null) {
            b.replicas(replicas);
        }
        if (maxValueSize != null) {
            b.maxValueSize(maxValueSize);
        }
        if (maxBucketSize != null) {
            b.maxBucketSize(maxBucketSize);
        }
        if (description != null) {
            b.description(description);
        }
        return b;
    }
}
