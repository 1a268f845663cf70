package dev.tend.kv.embedded;

import dev.tend.kv.KvStore;
import dev.tend.kv.contract.LimitsContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

class EmbeddedLimitsContractTest extends LimitsContract {
    @TempDir
    Path dir;

    @Override
    protected KvStore openStore(Clock clock) {
        return KvStore.builder().directory(dir).clock(clock).build();
    }

    /** The embedded store keeps one copy; its error must send the user to the NATS backend. */
    @Override
    protected String replicasErrorHint() {
        return "NATS";
    }
}
