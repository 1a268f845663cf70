package dev.tend.kv.nats;

import dev.tend.kv.KvStore;
import dev.tend.kv.contract.RealTimeTtlContract;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;

/** Bucket TTL on NATS, where the server expires entries (the stream's max age) on its own clock. */
@ExtendWith(NatsServerExtension.class)
class NatsRealTimeTtlContractTest extends RealTimeTtlContract implements NatsServerExtension.Aware {
    private NatsServer server;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @Override
    protected KvStore openStore(Clock clock) {
        return KvStore.builder().url(server.url()).clock(clock).build();
    }

    /** The NATS server stamps entries with its own time. */
    @Override
    protected boolean controlsTime() {
        return false;
    }
}
