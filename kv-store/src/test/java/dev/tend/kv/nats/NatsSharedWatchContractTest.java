package dev.tend.kv.nats;

import dev.tend.kv.KvStore;
import dev.tend.kv.contract.SharedWatchContract;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import java.time.Clock;

// Counts the JVM's threads by name and in total: alone, so that other classes' stores add none.
@Isolated
@ExtendWith(NatsServerExtension.class)
class NatsSharedWatchContractTest extends SharedWatchContract implements NatsServerExtension.Aware {
    private NatsServer server;

    @Override
    public void natsServer(NatsServer server) {
        this.server = server;
    }

    @Override
    protected KvStore openStore(Clock clock) {
        return KvStore.builder().url(server.url()).clock(clock).build();
    }

    @Override
    protected String watchThreadPrefix() {
        return "tend-nats-watch-";
    }

    @Override
    protected int maxWatchThreads() {
        return NatsWatches.WATCH_THREADS;
    }
}
