package dev.tend.kv.nats;

import dev.tend.kv.KvStore;
import dev.tend.kv.spi.KvBackendProvider;
import dev.tend.kv.spi.KvStoreOptions;

/** Serves {@code nats://host:port[,host:port...]} store URLs with NATS JetStream key-value buckets. */
public final class NatsBackendProvider implements KvBackendProvider {

    @Override
    public String scheme() {
        return "nats";
    }

    @Override
    public KvStore open(KvStoreOptions options) {
        return NatsKvStore.connect(NatsUrl.parse(options.url()), options.connection(), options.clock());
    }
}
