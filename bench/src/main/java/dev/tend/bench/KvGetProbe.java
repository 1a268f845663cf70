package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.KvStore;

import java.io.IOException;

/**
 * What {@code tend kv get BUCKET KEY --raw} does in the library, for builds without the command: open the store,
 * open the bucket, get the key, write its value's bytes, close, exit. {@code bench/cli} starts it with bin/tend's JVM
 * options and tend's class-data-sharing archive. Usage: {@code KvGetProbe STORE BUCKET KEY}.
 */
public final class KvGetProbe {
    private KvGetProbe() {
    }

    public static void main(String[] args) throws IOException {
        if (System.getProperty("logback.statusListenerClass") == null) {
            // As tend's Main does: logback's own status goes to a listener, not to stdout.
            System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        }
        byte[] value;
        try (KvStore store = KvStore.open(args[0])) {
            Bucket b = store.bucket(args[1]);
            value = b.getExisting(args[2]).value();
        }
        System.out.write(value);
        System.out.flush();
        System.exit(0);
    }
}
