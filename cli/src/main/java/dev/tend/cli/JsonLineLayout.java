package dev.tend.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CLI's log as JSON lines ({@code --log-format json}): one object per event with the fields of the text line,
 * {@code time} (ISO-8601 with the offset, as the text line), {@code level}, {@code logger} (in full), {@code thread},
 * {@code message}; then the event's structured fields ({@code machine}, {@code watcher}, ...) and its MDC entries, each
 * as a string, a name already written kept once; then {@code exception}, the stack trace as one string, when there is
 * one.
 */
final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

    private final JsonFactory json = new JsonFactory();
    private final DateTimeFormatter time;

    JsonLineLayout(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern(LogbackConfigurator.TIME_PATTERN).withZone(zone);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time.format(Instant.ofEpochMilli(event.getTimeStamp())));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            Set<String> written = new HashSet<>(List.of("time", "level", "logger", "thread", "message", "exception"));
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair p : pairs) {
                    if (p.key != null && written.add(p.key)) {
                        g.writeStringField(p.key, String.valueOf(p.value));
                    }
                }
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    if (written.add(e.getKey())) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append(System.lineSeparator()).toString();
    }
}
