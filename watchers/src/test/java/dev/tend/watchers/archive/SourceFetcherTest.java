package dev.tend.watchers.archive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fetches from a real HTTP server on loopback (the JDK's) and from files. */
class SourceFetcherTest {

    private static final byte[] BODY = "an archive, as far as the fetcher knows".getBytes(StandardCharsets.UTF_8);
    private static final long CAP = 1 << 20;

    @TempDir
    Path dir;

    private final SourceFetcher fetcher = new SourceFetcher("Tend archive watcher test");
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<String> userAgent = new AtomicReference<>();
    private ExecutorService executor;
    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws IOException {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> new Thread(r, "archive-test-http-" + threads.incrementAndGet()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/ok", exchange -> {
            userAgent.set(exchange.getRequestHeaders().getFirst("User-Agent"));
            reply(exchange, 200, BODY);
        });
        server.createContext("/missing", exchange -> reply(exchange, 404, "no".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/slow", exchange -> {
            try {
                release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 200, BODY);
        });
        server.createContext("/big-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent <= 2 * CAP; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the client stopped reading: what the test expects
            }
        });
        server.createContext("/big-length", exchange -> reply(exchange, 200, new byte[(int) (2 * CAP)]));
        server.createContext("/auth", exchange -> {
            String expected = "Basic " + Base64.getEncoder()
                    .encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8));
            if (expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 200, BODY);
            } else {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                reply(exchange, 401, new byte[0]);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void downloadsOverHttp() throws Exception {
        Path file = dir.resolve("a.tgz");
        fetcher.fetch(base + "/ok", file, settings(Duration.ofSeconds(30)));
        assertThat(file).hasBinaryContent(BODY);
        assertThat(userAgent.get()).isEqualTo("Tend archive watcher test");
    }

    @Test
    void anyStatusButOkIsAFailure() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/missing", dir.resolve("a.tgz"), settings(Duration.ofSeconds(30))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("download of " + base + "/missing failed: HTTP 404");
    }

    @Test
    void aSlowServerHitsTheTimeout() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/slow", dir.resolve("a.tgz"), settings(Duration.ofMillis(300))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("download of " + base + "/slow timed out after 0.3 s");
    }

    @Test
    void stopsABodyOverTheCap() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/big-chunked", dir.resolve("a.tgz"),
                settings(Duration.ofSeconds(30))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("download of " + base + "/big-chunked failed: the response is over the limit of "
                        + CAP + " bytes");
        assertThatThrownBy(() -> fetcher.fetch(base + "/big-length", dir.resolve("b.tgz"),
                settings(Duration.ofSeconds(30))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("download of " + base + "/big-length failed: the response is over the limit of "
                        + CAP + " bytes");
    }

    @Test
    void sendsBasicAuthentication() throws Exception {
        Path file = dir.resolve("a.tgz");
        fetcher.fetch(base + "/auth", file, new FetchSettings(Duration.ofSeconds(30), "user", "pa:ss", false, CAP));
        assertThat(file).hasBinaryContent(BODY);

        assertThatThrownBy(() -> fetcher.fetch(base + "/auth", dir.resolve("b.tgz"),
                new FetchSettings(Duration.ofSeconds(30), "user", "wrong", false, CAP)))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("download of " + base + "/auth failed: HTTP 401");
        assertThatThrownBy(() -> fetcher.fetch(base + "/auth", dir.resolve("c.tgz"), settings(Duration.ofSeconds(30))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("download of " + base + "/auth failed: HTTP 401");
    }

    @Test
    void aRefusedConnectionIsAOneLineFailure() throws Exception {
        String gone = base;
        server.stop(0);
        assertThatThrownBy(() -> fetcher.fetch(gone + "/ok", dir.resolve("a.tgz"), settings(Duration.ofSeconds(30))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessageStartingWith("download of " + gone + "/ok failed: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void copiesAFileUrl() throws Exception {
        Path source = Files.write(dir.resolve("source.tgz"), BODY);
        Path file = dir.resolve("a.tgz");
        fetcher.fetch(source.toUri().toString(), file, settings(Duration.ofSeconds(30)));
        assertThat(file).hasBinaryContent(BODY);
    }

    @Test
    void refusesAFileOverTheCap() throws Exception {
        Path source = Files.write(dir.resolve("source.tgz"), BODY);
        assertThatThrownBy(() -> fetcher.fetch(source.toUri().toString(), dir.resolve("a.tgz"),
                new FetchSettings(Duration.ofSeconds(30), null, null, false, 10)))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("source " + source.toUri() + " is " + BODY.length + " bytes, over the limit of 10");
    }

    @Test
    void refusesOtherSourcesWithAReason() {
        assertThatThrownBy(() -> fetcher.fetch("file://host/x.tgz", dir.resolve("a.tgz"), settings(Duration.ofSeconds(1))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("source file://host/x.tgz is not a file URL of an absolute path (file:///PATH)");
        assertThatThrownBy(() -> fetcher.fetch("file:///no/such/x.tgz", dir.resolve("a.tgz"),
                settings(Duration.ofSeconds(1))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("source file:///no/such/x.tgz is not a regular file");
        assertThatThrownBy(() -> fetcher.fetch("ftp://user:secret@host/x.tgz", dir.resolve("a.tgz"),
                settings(Duration.ofSeconds(1))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessage("source ftp://host/x.tgz is not supported: use file://, http:// or https://");
        assertThatThrownBy(() -> fetcher.fetch("http://[bad", dir.resolve("a.tgz"), settings(Duration.ofSeconds(1))))
                .isInstanceOf(ArchiveFailure.class)
                .hasMessageStartingWith("source is not a valid URL: ");
    }

    private static FetchSettings settings(Duration timeout) {
        return new FetchSettings(timeout, null, null, false, CAP);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (IOException e) {
            // the client went away (a refused body): nothing to do
        }
    }
}
