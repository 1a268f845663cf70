package dev.tend.cli.kv;

import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend kv rm BUCKET}: removes a bucket and everything in it. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes a bucket and everything in it.")
final class KvRm extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        try (KvStore store = openStore()) {
            store.bucket(bucket);
            if (confirm(force, "Really remove the " + bucket + " bucket", "remove bucket " + bucket)) {
                store.delete(bucket);
            }
        }
        return 0;
    }
}
