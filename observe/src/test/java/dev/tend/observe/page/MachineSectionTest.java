package dev.tend.observe.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MachineSectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private static ObjectNode machine(String extra) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"name":"door","version":"1.0.0","state":"closed","path":"/m/door","instance_id":"id-1",
                 "start_time":"2026-12-07T09:00:00Z","available_transitions":["open"],
                 "watchers":[{"name":"sensor","type":"exec","active":true,
                              "state":{"command":"echo <script>alert(1)</script>","previous_outcome":"success"}}]
                 %s}""".formatted(extra));
    }

    @Test
    void everyValueIsEscaped() throws Exception {
        ObjectNode m = machine(",\"data\":{\"<img src=x onerror=alert(1)>\":\"<script>alert(2)</script>\"}");
        m.put("name", "d<script>oor");
        m.put("state", "\"><script>alert(3)</script>");
        String html = MachineSection.html(m, NOW.minusSeconds(65), NOW, "");
        assertThat(html).doesNotContain("<script").doesNotContain("<img")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;script&gt;alert(2)&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("data-machine=\"d&lt;script&gt;oor\"")
                .contains("&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;");
    }

    @Test
    void aWatchersDurationsInNanosecondsAreShownAsGoDurations() throws Exception {
        ObjectNode m = machine("");
        ObjectNode state = (ObjectNode) m.get("watchers").get(0).get("state");
        state.put("previous_run_time", 1_121_000_000L);
        state.put("timer", 600_000_000_000L);
        String html = MachineSection.html(m, NOW.minusSeconds(65), NOW, "");
        assertThat(html).contains("<dt>previous_run_time</dt><dd>1.121s</dd>").contains("<dt>timer</dt><dd>10m0s</dd>")
                .doesNotContain("600000000000");
    }

    @Test
    void fieldsItDoesNotKnowAreShownGenerically() throws Exception {
        String html = MachineSection.html(machine(",\"last_run\":{\"outcome\":\"error\",\"exit_code\":3},"
                + "\"next_timer\":\"2026-12-07T10:10:00Z\",\"data\":{}"), NOW.minusSeconds(3723), NOW, "<svg/>");
        assertThat(html)
                .contains("<dt>Last run</dt><dd><dl class=\"fields\"><dt>outcome</dt><dd>error</dd><dt>exit_code</dt>"
                        + "<dd>3</dd></dl></dd>")
                .contains("<dt>Next timer</dt><dd>2026-12-07T10:10:00Z</dd>")
                .contains("<dt>Data</dt><dd><span class=\"none\">none</span></dd>")
                .contains("<dt>previous_outcome</dt><dd>success</dd>")
                .contains("data-since=\"2026-12-07T08:57:57Z\">1h2m3s</dd>")
                .contains("<svg/>");
    }

    @Test
    void aMachineNotStartedHasNoTimeInState() throws Exception {
        assertThat(MachineSection.html(machine(""), null, NOW, "")).contains("<dd class=\"since\">not started</dd>");
    }

    @Test
    void labelsAndAges() {
        assertThat(MachineSection.label("next_schedule_window")).isEqualTo("Next schedule window");
        assertThat(MachineSection.age(NOW.minusMillis(600_900), NOW)).isEqualTo("10m0s");
        assertThat(MachineSection.age(NOW.plusSeconds(5), NOW)).isEqualTo("0s");
    }
}
