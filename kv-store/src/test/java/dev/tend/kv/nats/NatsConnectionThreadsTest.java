package dev.tend.kv.nats;

import dev.tend.kv.ConnectionOptions;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/** jnats' listener callbacks and reconnects run on Tend's named daemon threads, which end when idle. */
class NatsConnectionThreadsTest {
    private final Options options = NatsConnections.options(NatsUrl.parse(URI.create("nats://127.0.0.1:4222")),
            ConnectionOptions.defaults(), new NatsConnectionEvents(""));

    @Test
    void callbacksRunOnANamedDaemonThread() throws Exception {
        assertRunsOn(options.getCallbackExecutor(), "tend-nats-callback-");
    }

    @Test
    void reconnectsRunOnANamedDaemonThread() throws Exception {
        assertRunsOn(options.getConnectExecutor(), "tend-nats-connect-");
    }

    @Test
    void theThreadsEndWhenIdleSoNothingNeedsToShutThemDown() {
        for (ExecutorService e : new ExecutorService[] {options.getCallbackExecutor(), options.getConnectExecutor()}) {
            assertThat(e).isInstanceOf(ThreadPoolExecutor.class);
            ThreadPoolExecutor pool = (ThreadPoolExecutor) e;
            assertThat(pool.allowsCoreThreadTimeOut()).isTrue();
            assertThat(pool.getMaximumPoolSize()).isEqualTo(1);
        }
        assertThat(options.callbackExecutorIsInternal()).isFalse();
        assertThat(options.connectExecutorIsInternal()).isFalse();
    }

    private static void assertRunsOn(ExecutorService executor, String prefix) throws Exception {
        Thread thread = executor.submit(Thread::currentThread).get();
        assertThat(thread.getName()).startsWith(prefix);
        assertThat(thread.isDaemon()).isTrue();
    }
}
