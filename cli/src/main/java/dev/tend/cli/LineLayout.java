package dev.tend.cli;

import ch.qos.logback.classic.pattern.DateConverter;
import ch.qos.logback.classic.pattern.KeyValuePairConverter;
import ch.qos.logback.classic.pattern.LevelConverter;
import ch.qos.logback.classic.pattern.LineSeparatorConverter;
import ch.qos.logback.classic.pattern.LoggerConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThreadConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.pattern.Converter;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.pattern.FormatInfo;
import ch.qos.logback.core.pattern.LiteralConverter;
import ch.qos.logback.core.pattern.ReplacingCompositeConverter;

import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's log line, {@link LogbackConfigurator#PATTERN} (an ISO-8601 time with its offset, {@code %-5level [%thread]
 * %logger{30}: %msg}, then the structured fields such as {@code machine="x" watcher="y"} when there are some, the
 * line's end, then the stack trace of an exception, as a pattern layout adds it), made of logback's own converters put
 * together in code: what a {@code PatternLayout} compiles that pattern to, without the classes of its parser and of its
 * registry of every converter, which a process that runs for months (the agent) would hold for good.
 * {@code LineLayoutTest} checks that both write the same lines.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {

    private final List<Converter<ILoggingEvent>> converters = new ArrayList<>();

    @Override
    public void start() {
        converters.clear();
        add(dynamic(new DateConverter(), LogbackConfigurator.TIME_PATTERN));
        add(new LiteralConverter<>(" "));
        LevelConverter level = new LevelConverter();
        level.setFormattingInfo(new FormatInfo(5, Integer.MAX_VALUE, false, true)); // %-5: padded on the right to 5
        add(level);
        add(new LiteralConverter<>(" ["));
        add(new ThreadConverter());
        add(new LiteralConverter<>("] "));
        add(dynamic(new LoggerConverter(), "30"));
        add(new LiteralConverter<>(": "));
        add(new MessageConverter());
        add(fields());
        add(new LineSeparatorConverter());
        add(dynamic(new ThrowableProxyConverter(), null)); // what a pattern layout appends to a pattern without one
        super.start();
    }

    /** {@code %replace( %kvp){'^ $', ''}}: a space and the key-value pairs, or nothing when there are none. */
    private ReplacingCompositeConverter<ILoggingEvent> fields() {
        LiteralConverter<ILoggingEvent> space = new LiteralConverter<>(" ");
        KeyValuePairConverter pairs = new KeyValuePairConverter();
        pairs.setContext(getContext());
        pairs.start();
        space.setNext(pairs);
        ReplacingCompositeConverter<ILoggingEvent> replace = new ReplacingCompositeConverter<>();
        replace.setChildConverter(space);
        replace.setOptionList(List.of("^ $", ""));
        replace.setContext(getContext());
        replace.start();
        return replace;
    }

    private void add(Converter<ILoggingEvent> converter) {
        converters.add(converter);
    }

    private DynamicConverter<ILoggingEvent> dynamic(DynamicConverter<ILoggingEvent> converter, String option) {
        if (option != null) {
            converter.setOptionList(List.of(option));
        }
        converter.setContext(getContext());
        converter.start();
        return converter;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        if (!isStarted()) {
            return "";
        }
        StringBuilder line = new StringBuilder(128);
        for (Converter<ILoggingEvent> c : converters) {
            c.write(line, event);
        }
        return line.toString();
    }
}
