package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.util.List;
import java.util.function.LongConsumer;

/** A bucket reached through Tend's API: the embedded engine or the NATS backend, whichever opened it. */
record TendTarget(String name, Bucket bucket) implements StoreTarget {

    @Override
    public long put(String key, byte[] value) {
        return bucket.put(key, value);
    }

    @Override
    public long get(String key) {
        Entry e = bucket.get(key).orElseThrow(() -> new IllegalStateException(name + ": get(" + key + ") is empty"));
        if (e.value().length != Support.VALUE_SIZE) {
            throw new IllegalStateException(name + ": get(" + key + ") returned " + e.value().length + " bytes");
        }
        return e.revision();
    }

    @Override
    public int history(String key) {
        return bucket.history(key).size();
    }

    @Override
    public AutoCloseable watchUpdates(LongConsumer onRevision) {
        return bucket.watch(List.of(), WatchOptions.defaults().withUpdatesOnly(), new WatchListener() {
            @Override
            public void onEntry(Entry entry) {
                onRevision.accept(entry.revision());
            }

            @Override
            public void onCaughtUp() {
                // updates only: nothing to catch up with
            }

            @Override
            public void onError(KvException error) {
                System.out.println("   " + name + ": watch error: " + Support.oneLine(error));
            }
        });
    }
}
