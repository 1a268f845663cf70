package dev.tend.cli.kv;

import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tend kv put BUCKET KEY VALUE}: stores a value and prints it. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Stores a value; - reads it from stdin.")
final class KvPut extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Parameters(index = "2", paramLabel = "VALUE", description = "The value, or - to read it from stdin.")
    String value;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        Names.checkKey(key);
        byte[] bytes = value(value);
        try (KvStore store = openStore()) {
            store.bucket(bucket).put(key, bytes);
        }
        printValue(bytes);
        return 0;
    }
}
