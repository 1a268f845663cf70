package dev.tend.bench;

import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;

import java.util.function.LongConsumer;

/** A JetStream KV bucket reached through jnats' own {@link KeyValue}, without Tend: the baseline for its layer. */
record JnatsTarget(String name, KeyValue kv) implements StoreTarget {

    @Override
    public long put(String key, byte[] value) throws Exception {
        return kv.put(key, value);
    }

    @Override
    public long get(String key) throws Exception {
        KeyValueEntry e = kv.get(key);
        if (e == null || e.getValue() == null) {
            throw new IllegalStateException(name + ": get(" + key + ") is empty");
        }
        if (e.getValue().length != Support.VALUE_SIZE) {
            throw new IllegalStateException(name + ": get(" + key + ") returned " + e.getValue().length + " bytes");
        }
        return e.getRevision();
    }

    @Override
    public int history(String key) throws Exception {
        return kv.history(key).size();
    }

    @Override
    public AutoCloseable watchUpdates(LongConsumer onRevision) throws Exception {
        return kv.watchAll(new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                onRevision.accept(entry.getRevision());
            }

            @Override
            public void endOfData() {
                // updates only: nothing to catch up with
            }
        }, KeyValueWatchOption.UPDATES_ONLY);
    }
}
