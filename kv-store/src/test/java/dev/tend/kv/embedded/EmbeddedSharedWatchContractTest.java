package dev.tend.kv.embedded;

import dev.tend.kv.KvStore;
import dev.tend.kv.contract.SharedWatchContract;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Path;
import java.time.Clock;

// Counts the JVM's threads by name and in total: alone, so that other classes' stores add none.
@Isolated
class EmbeddedSharedWatchContractTest extends SharedWatchContract {
    @TempDir
    Path dir;

    @Override
    protected KvStore openStore(Clock clock) {
        return KvStore.builder().directory(dir).clock(clock).build();
    }

    @Override
    protected String watchThreadPrefix() {
        return "tend-kv-watch-";
    }

    @Override
    protected int maxWatchThreads() {
        return EmbeddedKvStore.WATCH_THREADS;
    }
}
