package dev.tend.cli.kv;

import dev.tend.kv.Bucket;
import picocli.CommandLine.Command;

/** {@code tend kv create BUCKET KEY VALUE}: stores a value only if the key has none. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Stores a value only if the key has none (never written, deleted or purged); - reads stdin.")
final class KvCreate extends KvValueWrite {

    @Override
    void write(Bucket bucket, String key, byte[] value) {
        bucket.create(key, value);
    }
}
