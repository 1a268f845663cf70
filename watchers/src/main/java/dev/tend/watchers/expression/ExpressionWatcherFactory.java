package dev.tend.watchers.expression;

import dev.tend.machine.expression.Expression;
import dev.tend.machine.expression.ExpressionCompiler;
import dev.tend.machine.expression.ExpressionSyntaxException;
import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code expression} watcher type: evaluates {@code success_when}, then {@code fail_when}, expressions in the
 * machine expression language ({@code dev.tend.machine.expression}) over the machine's data, the facts and the
 * identity, every interval and on every state change, and fires the matching transition when the outcome changes
 * (docs/watchers.md, section {@code expression}). The expressions are compiled at load, so a bad one is a
 * {@code file:line} error there.
 */
public final class ExpressionWatcherFactory implements WatcherFactory {

    public static final String TYPE = "expression";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final Duration MIN_INTERVAL = Duration.ofMillis(500);
    static final String SUCCESS_WHEN = "success_when";
    static final String FAIL_WHEN = "fail_when";

    /** Made on first use, so that runtimes whose machines have no expression watcher do not load the language. */
    private volatile ExpressionCompiler compiler;

    public ExpressionWatcherFactory() {
    }

    private ExpressionCompiler compiler() {
        ExpressionCompiler c = compiler;
        if (c == null) {
            synchronized (this) {
                c = compiler;
                if (c == null) {
                    c = ExpressionCompiler.standard();
                    compiler = c;
                }
            }
        }
        return c;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(
                PropertySpec.of(SUCCESS_WHEN, PropertyType.STRING)
                        .describedAs("expression (expr syntax) over data, facts, identity and get_fact(); when it "
                                + "becomes true, success_transition fires (docs/expressions.md)"),
                PropertySpec.of(FAIL_WHEN, PropertyType.STRING)
                        .describedAs("expression evaluated when success_when is not true; when it becomes true, "
                                + "fail_transition fires"));
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        Duration interval = watcher.interval();
        if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
            problems.report(null, "interval must be at least " + Durations.format(MIN_INTERVAL) + ", not "
                    + Durations.format(interval));
        }
        WatcherProperties p = watcher.properties();
        if (blank(p.string(SUCCESS_WHEN)) && blank(p.string(FAIL_WHEN))) {
            problems.report(null, "success_when or fail_when is required");
        }
        for (String property : List.of(SUCCESS_WHEN, FAIL_WHEN)) {
            try {
                compile(p, property);
            } catch (ExpressionSyntaxException e) {
                problems.report(property, property + ": " + e.getMessage());
            }
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        WatcherProperties p = context.definition().properties();
        Duration interval = context.definition().interval().isZero() ? DEFAULT_INTERVAL
                : context.definition().interval();
        try {
            return new ExpressionWatcher(context, interval, compile(p, SUCCESS_WHEN), compile(p, FAIL_WHEN));
        } catch (ExpressionSyntaxException e) {
            throw new IllegalStateException("an expression that compiled at load does not compile now: "
                    + e.getMessage(), e);
        }
    }

    private Optional<Expression> compile(WatcherProperties p, String property) throws ExpressionSyntaxException {
        String source = p.string(property);
        if (blank(source)) {
            return Optional.empty();
        }
        return Optional.of(compiler().compileBoolean(source, ExpressionEnvironment.declared()));
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
