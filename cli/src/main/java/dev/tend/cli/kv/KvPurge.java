package dev.tend.cli.kv;

import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend kv purge BUCKET [KEY]}: a key's values and history, or every key's. */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = "Purges a key (its values and history go), or with no key every value of the bucket.")
final class KvPurge extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY", arity = "0..1")
    String key;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        if (key != null) {
            Names.checkKey(key);
        }
        try (KvStore store = openStore()) {
            var b = store.bucket(bucket);
            if (key != null) {
                if (confirm(force, "Really purge the " + key + " key and its history from bucket " + bucket,
                        "purge the " + key + " key from bucket " + bucket)) {
                    b.purge(key);
                }
            } else if (confirm(force, "Really purge every value and the history of bucket " + bucket,
                    "purge bucket " + bucket)) {
                b.purgeAll();
            }
        }
        return 0;
    }
}
