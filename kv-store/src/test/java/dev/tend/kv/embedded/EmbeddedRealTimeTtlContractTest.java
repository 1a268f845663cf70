package dev.tend.kv.embedded;

import dev.tend.kv.KvStore;
import dev.tend.kv.contract.RealTimeTtlContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

class EmbeddedRealTimeTtlContractTest extends RealTimeTtlContract {
    @TempDir
    Path dir;

    @Override
    protected KvStore openStore(Clock clock) {
        return KvStore.builder().directory(dir).clock(clock).build();
    }
}
