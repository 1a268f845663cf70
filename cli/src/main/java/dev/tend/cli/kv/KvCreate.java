package dev.tend.cli.kv;

import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tend kv create BUCKET KEY VALUE}: stores a value only if the key has none. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Stores a value only if the key has none (never written, deleted or purged); - reads stdin.")
final class KvCreate extends KvSubcommand {

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
            store.bucket(bucket).create(key, bytes);
        }
        printValue(bytes);
        return 0;
    }
}
