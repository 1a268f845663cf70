package dev.tend.cli.kv;

import dev.tend.cli.command.DurationConverter;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.units.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code tend kv compact BUCKET}: removes old delete and purge markers and what they hide (PurgeDeletes). */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Removes delete and purge markers older than --older-than, and the history they hide.")
final class KvCompact extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Option(names = "--older-than", paramLabel = "DUR", converter = DurationConverter.class, defaultValue = "30m",
            description = "Only markers older than this (default: ${DEFAULT-VALUE}); 0 removes every marker.")
    Duration olderThan;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        if (olderThan.isNegative()) {
            throw new InvalidInputException("--older-than must not be negative, not " + Durations.format(olderThan));
        }
        try (KvStore store = openStore()) {
            var b = store.bucket(bucket);
            if (confirm(force, "Really purge the history of deleted keys older than " + Durations.format(olderThan)
                    + " in bucket " + bucket, "compact bucket " + bucket)) {
                long keys = b.purgeDeletes(olderThan.isZero() ? Duration.ofNanos(-1) : olderThan);
                out().println("Compacted bucket " + bucket + ": " + keys + (keys == 1 ? " key" : " keys")
                        + " cleaned");
                out().flush();
            }
        }
        return 0;
    }
}
