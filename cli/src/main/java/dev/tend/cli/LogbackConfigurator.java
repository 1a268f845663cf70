package dev.tend.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.tend.cli.command.LogControl;
import org.slf4j.Logger;

import java.time.ZoneId;

/**
 * The CLI's logging set-up, in code rather than a {@code logback.xml}: WARN and above to stderr as
 * {@code 2026-12-07T13:40:01.123+00:00 LEVEL [thread] logger: message key="value"}; {@code --debug} and
 * {@code --log-level} change the level, {@code --log-format json} the line (see {@link LogControl}).
 *
 * <p>Logback finds it through {@code META-INF/services} before it looks for XML. Parsing XML (Joran and a SAX parser)
 * cost every {@code tend} call about 100 ms; this costs almost nothing, and the appender and its line
 * ({@link LineLayout}: the pattern's converters, without the pattern parser) are only built when the first event is
 * logged. Setting {@code -Dlogback.configurationFile=...} (through
 * {@code TEND_JAVA_OPTS}) still selects an XML configuration.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {

    /** ISO-8601 to the millisecond with the zone's offset: {@code 2026-12-07T13:40:01.123+00:00}. */
    static final String TIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSxxx";
    static final String PATTERN = "%d{" + TIME_PATTERN + "} %-5level [%thread] %logger{30}: %msg"
            + "%replace( %kvp){'^ $', ''}%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LazyStderrAppender appender = new LazyStderrAppender();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * A console appender on stderr that builds its encoder on the first event only: the pattern's line
     * ({@link LineLayout}, logback's converters for {@link #PATTERN} without its parser).
     */
    static final class LazyStderrAppender extends AppenderBase<ILoggingEvent> implements LogControl.JsonSwitch {
        private ConsoleAppender<ILoggingEvent> delegate;
        private boolean json;

        /** Writes JSON lines ({@link JsonLineLayout}) from now on, or the text line again. */
        @Override
        public synchronized void json(boolean json) {
            if (this.json != json) {
                this.json = json;
                if (delegate != null) {
                    delegate.stop();
                    delegate = null; // made again by the next event
                }
            }
        }

        @Override
        protected void append(ILoggingEvent event) {
            // AppenderBase.doAppend is synchronized: one thread at a time gets here.
            if (delegate == null) {
                LayoutBase<ILoggingEvent> layout = json ? new JsonLineLayout(ZoneId.systemDefault()) : new LineLayout();
                layout.setContext(getContext());
                layout.start();
                LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
                encoder.setContext(getContext());
                encoder.setLayout(layout);
                encoder.start();
                ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
                console.setContext(getContext());
                console.setName(getName());
                console.setTarget("System.err");
                console.setEncoder(encoder);
                console.start();
                delegate = console;
            }
            delegate.doAppend(event);
        }

        @Override
        public void stop() {
            super.stop();
            if (delegate != null) {
                delegate.stop();
            }
        }
    }
}
