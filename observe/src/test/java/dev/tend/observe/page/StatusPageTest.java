package dev.tend.observe.page;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.MachineGroup;
import dev.tend.observe.ListenAddress;
import dev.tend.observe.ObserveListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's routes on a real listener (one request thread: the event stream holds none) over a real machine group,
 * asked by the JDK's HTTP client.
 */
class StatusPageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private MachineGroup group;
    private Machine door;
    private StatusPage page;
    private ObserveListener listener;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        group = MachineGroup.create(MachineSettings.builder().identity("node<1>")
                .watchers(WatcherRegistry.of(List.of()))
                .stateDirectory(tmp.resolve("state")).build(), "tend-pagetest");
        door = group.add(SvgGraphTest.door());
        door.start();
        page = new StatusPage(group, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC),
                Duration.ofMillis(200));
        page.start();
        listener = page.routes(ObserveListener.builder(ListenAddress.loopback(0)).threads(1)).build();
        listener.start();
    }

    @AfterEach
    void tearDown() {
        page.close();
        listener.stop();
        group.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + listener.boundAddress().getPort() + path);
    }

    @Test
    void thePageShowsEveryMachineEscapedWithItsGraph() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(StatusPage.CSP);
        assertThat(r.body()).startsWith("<!DOCTYPE html>").contains("<title>Tend: node&lt;1&gt;</title>")
                .contains("<section class=\"machine\" data-machine=\"door\">")
                .contains("<g class=\"state current initial\" data-state=\"closed\">")
                .contains("<td class=\"current-state\">closed</td>")
                .doesNotContain("<script>alert");
        assertThat(r.body().split("<script", -1)).as("one script element, the page's own").hasSize(2);
    }

    @Test
    void aMachinesSectionAndTheAssetsComeAlone() throws Exception {
        assertThat(get("/machine?name=door").body()).startsWith("<section class=\"machine\" data-machine=\"door\">");
        assertThat(get("/machine?name=window").statusCode()).isEqualTo(404);
        assertThat(get("/machine").statusCode()).isEqualTo(404);
        assertThat(get("/machine?x=1&name=d%6Fo%72").statusCode()).isEqualTo(200);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> js = get("/assets/status.js");
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body()).contains("new EventSource('events')");
        assertThat(get("/assets/status.css").body()).contains("svg.graph");
        assertThat(get("/assets/../StatusPage.class").statusCode()).isEqualTo(404);
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/events")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers
                .ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void transitionsReachTheEventStreamAndTheTimeInState() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(uri("/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        Thread reader = new Thread(() -> {
            try {
                r.body().forEach(lines::add);
            } catch (RuntimeException e) {
                // the stream ended abruptly: an end all the same
            } finally {
                lines.add("<end>");
            }
        }, "pagetest-sse");
        reader.setDaemon(true);
        reader.start();
        assertThat(lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("retry: 2000");
        // idle: comment lines keep the stream busy
        assertThat(next(lines, l -> l.startsWith(":"))).isEqualTo(": ping");

        door.transition("open");
        assertThat(next(lines, l -> l.startsWith("event:"))).isEqualTo("event: transition");
        String data = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(data).startsWith("data: {\"machine\":\"door\",\"transition\":\"open\",\"from_state\":\"closed\","
                + "\"to_state\":\"opened\",\"time\":\"").endsWith("\"}");
        String time = data.substring(data.lastIndexOf(":\"") + 2, data.length() - 2);
        // the section now says since when (the transition's time), the state marked in the graph
        String section = get("/machine?name=door").body();
        assertThat(section).contains("<dd class=\"current-state\">opened</dd>")
                .contains("<g class=\"state current\" data-state=\"opened\">")
                .contains("data-since=\"" + time + "\">");

        page.close();
        assertThat(next(lines, l -> l.equals("<end>"))).isEqualTo("<end>");
        reader.join(WAIT.toMillis());
    }

    /** The next line {@code match} accepts; {@code "<end>"} when the stream ends first. */
    private static String next(BlockingQueue<String> lines, java.util.function.Predicate<String> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null && match.test(l)) {
                return l;
            }
        }
        throw new AssertionError("no such line within " + WAIT);
    }
}
