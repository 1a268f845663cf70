package dev.tend.cli.kv;

import dev.tend.kv.Bucket;
import picocli.CommandLine.Command;

/** {@code tend kv put BUCKET KEY VALUE}: stores a value and prints it. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Stores a value; - reads it from stdin.")
final class KvPut extends KvValueWrite {

    @Override
    void write(Bucket bucket, String key, byte[] value) {
        bucket.put(key, value);
    }
}
