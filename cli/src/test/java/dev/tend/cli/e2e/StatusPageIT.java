package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page of {@code tend agent --listen} in a real browser: Debian's headless Chromium, driven over the
 * DevTools protocol, loads the page, an operator's transition happens, and the page shows the new state without being
 * reloaded; the agent restarts and the page reconnects by itself. A machine's values that look like markup stay
 * text. The screenshot is kept as
 * {@code target/status-page/status-page.png}. Without chromium the test is skipped, except in CI ({@code CI=true}),
 * where it fails.
 */
class StatusPageIT extends TendPerTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    /** A door opened by hand; its watcher's message is markup that must be shown as text, never run. */
    private static final String DOOR = Door.BASE + """
              - name: jam
                from: [opened, closed]
                destination: stuck
              - name: free
                from: [stuck]
                destination: closed
            watchers:
              - name: sensor
                type: test
                properties:
                  message: "<script>window.injected = 1</script><img src=x onerror='window.injected = 2'>"
            """;

    @Test
    void thePageFollowsATransitionInChromium() throws Exception {
        Path chromium = Chromium.find();
        if (chromium == null) {
            assertThat(System.getenv("CI")).as("chromium is needed in CI (bin/verify installs it)")
                    .isNotEqualTo("true");
            assumeTrue(false, "chromium is not installed");
        }
        Path machines = Files.createDirectories(tmp.resolve("machines/door"));
        Files.writeString(machines.resolve("machine.yaml"), DOOR);
        String socket = tmp.resolve("run/agent.sock").toString();
        Tend.Background agent = tend.start("agent", "--machines", machines.getParent().toString(), "--state",
                tmp.resolve("state").toString(), "--plugins", TestPlugin.directory(tmp.resolve("plugins")).toString(),
                "--socket", socket, "--identity", "page-node", "--listen", "127.0.0.1:0");
        Tend.awaitStarted(agent);
        Matcher listening = LISTENING.matcher(agent.err());
        assertThat(listening.find()).as("the listener's address in the log:\n%s", agent.err()).isTrue();
        String url = listening.group(1) + "/";

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).contains("data-machine=\"door\"")
                .contains("&lt;script&gt;window.injected = 1&lt;/script&gt;").doesNotContain("<script>window");

        try (Chromium browser = new Chromium(chromium, tmp.resolve("chromium"))) {
            Chromium.Page page = browser.open(url);
            eventually("the page's event stream open", () -> text(page,
                    "document.body && document.body.getAttribute('data-live')").equals("open"));
            assertThat(text(page, "document.title")).isEqualTo("Tend: page-node");
            assertThat(text(page, STATES)).isEqualTo("closed closed");
            assertThat(text(page, MARKED)).isEqualTo("closed");
            // the watcher's markup is text on the page; nothing of it ran or became an element
            assertThat(text(page, "document.querySelector('tr[data-watcher=sensor]').textContent"))
                    .contains("<script>window.injected = 1</script><img src=x onerror='window.injected = 2'>");
            assertThat(text(page, "String(window.injected)")).isEqualTo("undefined");
            assertThat(text(page, "String(document.scripts.length)")).isEqualTo("1");
            assertThat(text(page, "String(document.images.length)")).isEqualTo("0");
            // a mark that a reload would lose
            page.evaluate("window.loadedOnce = 'yes'");

            assertOk(tend.run("machine", "transition", "door", "open", "--socket", socket));

            eventually("the new state on the page", () -> text(page, STATES).equals("opened opened")
                    && text(page, MARKED).equals("opened"));
            // the section fetched again after the event: the transitions valid now
            eventually("the machine's section renewed", () -> text(page,
                    "document.querySelector('section[data-machine=door] .transitions').textContent")
                    .equals("close, jam"));
            assertThat(text(page, "String(window.loadedOnce)")).as("the page was not reloaded").isEqualTo("yes");
            assertThat(text(page, "String(window.injected)")).isEqualTo("undefined");

            Path shots = Files.createDirectories(Path.of("target", "status-page"));
            Files.write(shots.resolve("status-page.png"), page.screenshot());

            // The agent restarts on the same address: the page says so, reconnects by itself and shows the machine
            // as it is now (back in its initial state), still without a reload.
            agent.process.destroy();
            assertThat(agent.process.waitFor(Tend.PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            eventually("the page noticing the agent gone", () -> text(page,
                    "document.body.getAttribute('data-live')").equals("reconnecting"));
            Tend.Background again = tend.start("agent", "--machines", machines.getParent().toString(), "--state",
                    tmp.resolve("state").toString(), "--plugins", tmp.resolve("plugins").toString(), "--socket",
                    socket, "--identity", "page-node", "--listen", URI.create(url).getAuthority());
            Tend.awaitStarted(again);
            eventually("the page live again with the machine as it is now", () -> text(page,
                    "document.body.getAttribute('data-live')").equals("open") && text(page, STATES)
                    .equals("closed closed") && text(page, MARKED).equals("closed"));
            assertThat(text(page, "String(window.loadedOnce)")).as("the page was not reloaded").isEqualTo("yes");
        }
    }

    /** The state shown in the overview and in the machine's section, space-separated. */
    private static final String STATES = "Array.from(document.querySelectorAll('[data-machine=door] .current-state'))"
            + ".map(e => e.textContent).join(' ')";

    /** The states marked current in the graph. */
    private static final String MARKED = "Array.from(document.querySelectorAll('svg.graph g.state.current'))"
            + ".map(g => g.getAttribute('data-state')).join(' ')";

    private static String text(Chromium.Page page, String expression) {
        try {
            JsonNode v = page.evaluate(expression);
            return v.isMissingNode() || v.isNull() ? "" : v.asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
