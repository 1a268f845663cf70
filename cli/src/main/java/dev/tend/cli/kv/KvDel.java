package dev.tend.cli.kv;

import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tend kv del BUCKET KEY}: writes a delete marker; the history stays. */
@Command(name = "del", mixinStandardHelpOptions = true,
        description = "Deletes a key: it reads as unknown, its history is kept.")
final class KvDel extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        Names.checkKey(key);
        try (KvStore store = openStore()) {
            var b = store.bucket(bucket);
            if (confirm(force, "Really remove the " + key + " key from bucket " + bucket,
                    "remove the " + key + " key from bucket " + bucket)) {
                b.delete(key);
            }
        }
        return 0;
    }
}
