package dev.tend.cli.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad input of {@link BadInputIT} that reaches the store, on a NATS server, and the ways a NATS store URL can be
 * wrong. Input refused while the command line is read never reaches a store (BadInputIT shows it), so it is not
 * repeated here.
 */
@Order(1) // long: started first
class NatsBadInputIT extends BadInputIT {

    @Override
    Tend.Backend backend() {
        return Tend.Backend.NATS;
    }

    @Override
    boolean runs(boolean refusedOnParsing) {
        return !refusedOnParsing;
    }

    /** A single server refuses replicas; the message says a cluster would take them. */
    @Override
    String replicasHint() {
        return "clustered NATS";
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        String url = "nats://127.0.0.1:" + unusedPort();
        Tend.Result r = tend().run(null, Map.of("TEND_STORE", url), "kv", "ls");
        assertOneLineError(r, 3);
        assertThat(r.err()).contains(url);
    }

    @Test
    void aServerListWhoseFirstServerIsDownWorksQuietly() throws Exception {
        String url = "nats://127.0.0.1:" + unusedPort() + "," + tend().storeUrl().substring("nats://".length());
        Tend.Result r = tend().run(null, Map.of("TEND_STORE", url), "kv", "keys", "CFG");
        assertOk(r);
        assertThat(r.out()).contains("username");
    }

    @Test
    void aMalformedServerListIsOneLine() throws Exception {
        Tend.Result r = tend().run(null, Map.of("TEND_STORE", "nats://127.0.0.1:4222,,127.0.0.1:4223"), "kv", "ls");
        assertThat(r.code()).as(r.describe()).isNotZero();
        assertOneLineError(r, r.code());
        assertThat(r.err()).contains("empty server");
    }

    @Test
    void aPasswordInTheUrlIsNeverPrinted() throws Exception {
        Tend.Result r = tend().run(null, Map.of("TEND_STORE", "nats://user:s3cr3t@127.0.0.1:" + unusedPort()),
                "kv", "ls");
        assertThat(r.code()).as(r.describe()).isNotZero();
        assertOneLineError(r, r.code());
        assertThat(r.err()).doesNotContain("s3cr3t");
    }

    private static int unusedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
