package dev.tend.observe;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObserveListenerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ObserveListener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return request("GET", path);
    }

    private HttpResponse<String> request(String method, String path) throws IOException, InterruptedException {
        InetSocketAddress a = listener.boundAddress();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesItsRoutesOnNamedThreadsAndNothingElse() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        listener = ObserveListener.builder(ListenAddress.loopback(0))
                .route("/hello", e -> {
                    threads.add(Thread.currentThread().getName());
                    Responses.text(e, 200, "hi\n");
                })
                .build();
        listener.start();
        assertThat(listener.running()).isTrue();
        assertThat(listener.boundAddress().getPort()).isPositive();

        HttpResponse<String> hello = get("/hello");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hi\n");
        assertThat(hello.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(threads).allMatch(n -> n.startsWith("tend-observe-http-"));
        assertThat(get("/hello/more").statusCode()).isEqualTo(404);
        assertThat(get("/helloo").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).isEqualTo(404);
    }

    @Test
    void aRouteEndingInSlashServesEverythingBelowIt() throws Exception {
        listener = ObserveListener.builder(ListenAddress.loopback(0))
                .route("/", e -> Responses.text(e, 200, "page " + e.getRequestURI().getPath()))
                .route("/exact", e -> Responses.text(e, 200, "exact"))
                .build();
        listener.start();
        assertThat(get("/").body()).isEqualTo("page /");
        assertThat(get("/assets/app.js").body()).isEqualTo("page /assets/app.js");
        assertThat(get("/exact").body()).isEqualTo("exact");
    }

    @Test
    void routesAddedAfterTheStartAreServed() throws Exception {
        listener = ObserveListener.builder(ListenAddress.loopback(0)).build();
        listener.start();
        assertThat(get("/late").statusCode()).isEqualTo(404);
        listener.route("/late", e -> Responses.text(e, 200, "late"));
        assertThat(get("/late").body()).isEqualTo("late");
        assertThatThrownBy(() -> listener.route("/late", e -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> listener.route("late", e -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHandlerThatThrowsAnswers500AndTheListenerGoesOn() throws Exception {
        listener = ObserveListener.builder(ListenAddress.loopback(0))
                .route("/boom", e -> {
                    throw new IllegalStateException("boom");
                })
                .route("/ok", e -> Responses.text(e, 200, "ok"))
                .build();
        listener.start();
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        assertThat(get("/ok").statusCode()).isEqualTo(200);
    }

    @Test
    void readOnlyRoutesRefuseOtherMethods() throws Exception {
        listener = ObserveListener.builder(ListenAddress.loopback(0))
                .route("/r", e -> {
                    if (Responses.readOnly(e)) {
                        Responses.text(e, 200, "body");
                    }
                })
                .build();
        listener.start();
        HttpResponse<String> post = request("POST", "/r");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = request("HEAD", "/r");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void requestsBeyondThePoolAndItsQueueAreRefusedAndTheListenerGoesOn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        listener = ObserveListener.builder(ListenAddress.loopback(0)).threads(1).queue(1)
                .route("/slow", e -> {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    Responses.text(e, 200, "slow");
                })
                .route("/fast", e -> Responses.text(e, 200, "fast"))
                .build();
        listener.start();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        calls.add(async("/slow"));
        assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue(); // the one thread is busy
        for (int i = 0; i < 4; i++) {
            calls.add(async("/fast"));
        }
        // One waits in the queue; the others are refused: their connections closed, not left hanging.
        long refused = 0;
        for (CompletableFuture<HttpResponse<String>> c : calls.subList(1, calls.size())) {
            try {
                c.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                refused++;
            } catch (TimeoutException e) {
                // queued behind the slow request
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(2);
        release.countDown();
        assertThat(calls.get(0).get(60, TimeUnit.SECONDS).body()).isEqualTo("slow");
        assertThat(get("/fast").body()).isEqualTo("fast");
    }

    private CompletableFuture<HttpResponse<String>> async(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + listener.boundAddress().getPort() + path)).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listener = ObserveListener.builder(ListenAddress.loopback(taken.getLocalPort())).build();
            assertThatThrownBy(listener::start).isInstanceOf(IOException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
        }
    }

    @Test
    void anUnknownHostIsOneLine() {
        listener = ObserveListener.builder(new ListenAddress("no-such-host.invalid", 0)).build();
        assertThatThrownBy(listener::start).isInstanceOf(IOException.class)
                .hasMessage("cannot listen on no-such-host.invalid:0: unknown host no-such-host.invalid");
    }

    @Test
    void stopEndsTheThreadsAndIsIdempotent() throws Exception {
        listener = ObserveListener.builder(ListenAddress.loopback(0))
                .route("/x", e -> Responses.text(e, 200, "x")).build();
        listener.start();
        int port = listener.boundAddress().getPort();
        assertThat(get("/x").statusCode()).isEqualTo(200);
        listener.stop();
        listener.stop();
        assertThat(listener.running()).isFalse();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(listener::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStreamingHandlerKeepsTheExchangeAndFreesTheRequestThread() throws Exception {
        java.util.concurrent.CountDownLatch more = new java.util.concurrent.CountDownLatch(1);
        listener = ObserveListener.builder(ListenAddress.loopback(0)).threads(1)
                .route("/hello", e -> Responses.text(e, 200, "hi\n"))
                .route("/stream", (StreamingHandler) e -> {
                    e.sendResponseHeaders(200, 0);
                    java.io.OutputStream out = e.getResponseBody();
                    out.write("a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    Thread writer = new Thread(() -> {
                        try (e) {
                            more.await();
                            out.write("b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            out.close();
                        } catch (IOException | InterruptedException ignored) {
                            // the test fails on the body
                        }
                    }, "test-stream");
                    writer.start();
                })
                .build();
        listener.start();
        InetSocketAddress a = listener.boundAddress();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> stream = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + a.getPort() + "/stream")).build(), HttpResponse.BodyHandlers.ofString());
        // the one request thread is free while the stream is open
        assertThat(get("/hello").body()).isEqualTo("hi\n");
        assertThat(stream).isNotDone();
        more.countDown();
        assertThat(stream.get(30, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("a\nb\n");
    }

    @Test
    void clientsThatSendNoWholeRequestHeadDoNotStarveTheListenerAndAreClosed() throws Exception {
        listener = ObserveListener.builder(ListenAddress.loopback(0)).threads(2).headTimeout(Duration.ofMillis(300))
                .route("/healthz", e -> Responses.text(e, 200, "ok\n"))
                .build();
        listener.start();
        int port = listener.boundAddress().getPort();
        List<Socket> partial = new ArrayList<>();
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                // more half-sent request lines than the listener has threads: each held one until the fix
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.getOutputStream().write("GET /heal".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                partial.add(s);
                silent.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            for (Socket s : partial) {
                s.setSoTimeout(60_000);
                assertThat(closedByPeer(s)).as("a half-sent request's connection is closed").isTrue();
            }
        } finally {
            for (Socket s : partial) {
                s.close();
            }
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    /** Reads until the peer closes (true) or the read times out (false). */
    private static boolean closedByPeer(Socket s) throws IOException {
        try {
            while (s.getInputStream().read() >= 0) {
                // what the listener answers before closing, if anything
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the peer
        }
    }
}
