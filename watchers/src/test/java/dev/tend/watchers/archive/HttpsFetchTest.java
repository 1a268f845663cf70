package dev.tend.watchers.archive;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS on loopback with a self-signed certificate made by the JDK's {@code keytool}: refused unless
 * {@code insecure}.
 */
class HttpsFetchTest {

    private static final byte[] BODY = "over TLS".getBytes(StandardCharsets.UTF_8);
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private final SourceFetcher fetcher = new SourceFetcher("test");
    private ExecutorService executor;
    private HttpsServer server;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);

        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "archive-test-https"));
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.setExecutor(executor);
        server.createContext("/a.tgz", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, BODY.length);
                exchange.getResponseBody().write(BODY);
            }
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort() + "/a.tgz";
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void refusesAnUntrustedCertificate() {
        assertThatThrownBy(() -> fetcher.fetch(url, dir.resolve("a.tgz"), settings(false)))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessageStartingWith("download of " + url + " failed: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void insecureAcceptsItAndTheWrongHostName() throws Exception {
        Path file = dir.resolve("a.tgz");
        fetcher.fetch(url, file, settings(true));
        assertThat(file).hasBinaryContent(BODY);
    }

    private static FetchSettings settings(boolean insecure) {
        return new FetchSettings(Duration.ofSeconds(30), null, null, insecure, 1 << 20);
    }
}
