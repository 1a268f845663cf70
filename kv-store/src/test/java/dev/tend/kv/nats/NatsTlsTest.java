package dev.tend.kv.nats;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS against real servers with certificates made by {@code openssl}: a CA file, mutual TLS with a client
 * certificate, and the failures named: an untrusted CA, a certificate for another host, no client certificate,
 * TLS required but not configured, and key files Tend cannot read.
 *
 * <p>The tests run side by side: some wait for a refusal (a connect timeout), and they only read the servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class NatsTlsTest {
    private Path dir;
    private TestCertificates pki;
    private NatsServer tlsServer;
    private NatsServer mutualServer;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("tend-nats-tls-");
        pki = TestCertificates.create(dir);
        tlsServer = NatsServer.startWithConfig(pki.serverConfig(pki.serverCert(), pki.serverKey(), false));
        mutualServer = NatsServer.startWithConfig(pki.serverConfig(pki.serverCert(), pki.serverKey(), true));
    }

    @AfterAll
    void stop() throws IOException {
        tlsServer.close();
        mutualServer.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theCaFileVerifiesTheServer() {
        try (KvStore store = open(tlsServer.url(), ConnectionOptions.defaults().withTls(pki.ca(), null, null))) {
            assertThat(store.bucketNames()).isNotNull();
        }
    }

    @Test
    void aServerSignedByAnotherCaIsRefused() {
        assertThatThrownBy(() -> open(tlsServer.url(), ConnectionOptions.defaults().withTls(pki.otherCa(), null, null)))
                .isInstanceOf(StoreException.class)
                .hasMessage("the TLS certificate of NATS at " + tlsServer.url() + " is not signed by a trusted CA"
                        + " (not by the CA in " + pki.otherCa() + ")");
    }

    @Test
    void aCertificateForAnotherHostIsRefused() {
        try (NatsServer server = NatsServer.startWithConfig(
                pki.serverConfig(pki.wrongHostCert(), pki.wrongHostKey(), false))) {
            assertThatThrownBy(() -> open(server.url(), ConnectionOptions.defaults().withTls(pki.ca(), null, null)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("the TLS certificate of NATS at " + server.url() + " is not for that host")
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void aServerThatRequiresTlsSaysSoWhenItIsNotConfigured() {
        assertThatThrownBy(() -> open(tlsServer.url(), ConnectionOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("NATS at " + tlsServer.url() + " requires TLS");
    }

    @Test
    void mutualTlsWithTheClientCertificate() {
        ConnectionOptions options = ConnectionOptions.defaults().withTls(pki.ca(), pki.clientCert(), pki.clientKey());
        try (KvStore store = open(mutualServer.url(), options)) {
            assertThat(store.bucketNames()).isNotNull();
        }
    }

    @Test
    void mutualTlsWithoutAClientCertificatePointsToIt() {
        // TLS 1.3 finishes the client's handshake before the server checks for a certificate: the server then
        // hangs up, and the client only sees no answer. A short connect timeout keeps the test quick.
        ConnectionOptions options = ConnectionOptions.defaults().withTls(pki.ca(), null, null)
                .withTimeouts(java.time.Duration.ofSeconds(2), null);
        assertThatThrownBy(() -> open(mutualServer.url(), options))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("NATS at " + mutualServer.url())
                .hasMessageContaining("client certificate");
    }

    @Test
    void badOrMissingTlsFilesAreNamed() throws IOException {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> open(tlsServer.url(), ConnectionOptions.defaults().withTls(missing, null, null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the TLS CA file " + missing + " does not exist");
        Path notPem = Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
        assertThatThrownBy(() -> open(tlsServer.url(), ConnectionOptions.defaults().withTls(notPem, null, null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("the TLS CA file " + notPem + " is not a PEM certificate");
        assertThatThrownBy(() -> open(tlsServer.url(), ConnectionOptions.defaults().withTls(pki.ca(),
                pki.clientCert(), null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs its private key too");
        Path rsaKey = dir.resolve("pkcs1-key.pem");
        Files.writeString(rsaKey, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> open(tlsServer.url(), ConnectionOptions.defaults().withTls(pki.ca(),
                pki.clientCert(), rsaKey)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(rsaKey + " holds a \"RSA PRIVATE KEY\"").hasMessageContaining("openssl pkcs8");
        Path unreadable = Files.copy(pki.ca(), dir.resolve("unreadable.pem"));
        if (unreadable.toFile().setReadable(false, false) && !Files.isReadable(unreadable)) { // root reads anything
            assertThatThrownBy(() -> open(tlsServer.url(), ConnectionOptions.defaults().withTls(unreadable, null,
                    null))).isInstanceOf(InvalidInputException.class).hasMessageContaining("permission denied");
        }
    }

    private static KvStore open(String url, ConnectionOptions options) {
        return KvStore.builder().url(url).connection(options).build();
    }
}
