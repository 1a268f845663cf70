package dev.tend.cli.kv;

import dev.tend.kv.Bucket;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import picocli.CommandLine.Parameters;

/**
 * {@code put}, {@code create} and {@code update}: BUCKET KEY VALUE (or {@code -} for stdin), one write, then the
 * value stored is printed. Subclasses say which write.
 */
abstract class KvValueWrite extends KvSubcommand {

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Parameters(index = "2", paramLabel = "VALUE", description = "The value, or - to read it from stdin.")
    String value;

    /** Checks the command's own options before anything is read or opened. */
    void validate() {
    }

    /** Writes the value; the bucket's typed exceptions say why not. */
    abstract void write(Bucket bucket, String key, byte[] value);

    @Override
    public final Integer call() {
        Names.checkBucketName(bucket);
        Names.checkKey(key);
        validate();
        byte[] bytes = value(value);
        try (KvStore store = openStore()) {
            write(store.bucket(bucket), key, bytes);
        }
        printValue(bytes);
        return 0;
    }
}
