package dev.tend.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two forms of a log line carry the same fields: the text line ({@link LineLayout}, as logback's pattern layout
 * writes {@link LogbackConfigurator#PATTERN}) and the JSON object ({@link JsonLineLayout}).
 */
class LogLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-12-07T13:40:01.123Z. */
    private static final long TIME = 1_796_650_801_123L;

    private final LoggerContext context = new LoggerContext();

    @Test
    void theTextLineEndsWithTheStructuredFieldsAsThePatternDoes() {
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(LogbackConfigurator.PATTERN);
        pattern.start();
        LineLayout line = new LineLayout();
        line.setContext(context);
        line.start();
        LoggingEvent e = watcherEvent(null, Map.of());
        assertThat(line.doLayout(e)).isEqualTo(pattern.doLayout(e));
        assertThat(line.doLayout(e)).endsWith("dev.tend.machine.web.check: command \"./check\" failed after 1.5s"
                + " machine=\"web\" watcher=\"check\"" + System.lineSeparator());
    }

    @Test
    void theJsonLineHasTheSameFieldsOneObjectPerLine() throws Exception {
        JsonLineLayout layout = new JsonLineLayout(ZoneId.of("UTC"));
        layout.setContext(context);
        layout.start();
        String text = layout.doLayout(watcherEvent(null, Map.of()));
        assertThat(text).endsWith(System.lineSeparator());
        assertThat(text.strip()).doesNotContain("\n");
        JsonNode n = JSON.readTree(text);
        assertThat(n.fieldNames()).toIterable().containsExactly("time", "level", "logger", "thread", "message",
                "machine", "watcher");
        assertThat(n.get("time").asText()).isEqualTo("2026-12-07T13:40:01.123+00:00");
        assertThat(n.get("level").asText()).isEqualTo("WARN");
        assertThat(n.get("logger").asText()).isEqualTo("dev.tend.machine.web.check");
        assertThat(n.get("thread").asText()).isEqualTo("tend-agent-lane-1");
        assertThat(n.get("message").asText()).isEqualTo("command \"./check\" failed after 1.5s");
        assertThat(n.get("machine").asText()).isEqualTo("web");
        assertThat(n.get("watcher").asText()).isEqualTo("check");
    }

    @Test
    void anExceptionIsOneStringFieldAndTheZoneOffsetIsWritten() throws Exception {
        JsonLineLayout layout = new JsonLineLayout(ZoneId.of("Europe/Paris"));
        layout.setContext(context);
        layout.start();
        LoggingEvent e = watcherEvent(new IllegalStateException("boom\nsecond line"), Map.of("request", "42"));
        String text = layout.doLayout(e);
        assertThat(text.strip()).doesNotContain("\n");
        JsonNode n = JSON.readTree(text);
        assertThat(n.get("time").asText()).isEqualTo("2026-12-07T14:40:01.123+01:00");
        assertThat(n.get("request").asText()).isEqualTo("42");
        assertThat(n.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom\nsecond line")
                .contains("\tat ");
    }

    private LoggingEvent watcherEvent(Throwable thrown, Map<String, String> mdc) {
        Logger logger = context.getLogger("dev.tend.machine.web.check");
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "command {} failed after {}",
                thrown, new Object[] {"\"./check\"", "1.5s"});
        e.setThreadName("tend-agent-lane-1");
        e.setTimeStamp(TIME);
        e.setMDCPropertyMap(mdc); // set here: a context of its own has no MDC adapter
        e.setKeyValuePairs(List.of(new KeyValuePair("machine", "web"), new KeyValuePair("watcher", "check")));
        return e;
    }
}
