package dev.tend.watchers.expression;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.Expression;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates the expressions every interval (the first time one interval after start) and on every state change, as
 * the reference does. Inactive, an evaluation records {@code skipped} and nothing else. Active: {@code success_when}
 * first, and if it is not true, {@code fail_when}; the outcome is {@code success_when}, {@code failed_when},
 * {@code no_match}, or {@code error} when an evaluation fails or gives no boolean. Transitions are edge triggered:
 * {@code success_transition} fires when the outcome becomes {@code success_when} after any other outcome (so also
 * after {@code skipped}: re-entering an active state fires again), {@code fail_transition} likewise. Every
 * {@code success_when}, {@code failed_when} and {@code error} publishes a state event whose {@code previous_outcome}
 * is, as in the reference, the outcome just recorded.
 *
 * <p>Evaluating is quick local work (the data and facts are in memory), so it runs on the watcher's lane, as
 * everything here does; its fields need no lock.
 */
final class ExpressionWatcher implements Watcher {

    private final WatcherContext context;
    private final Duration interval;
    private final Optional<Expression> successWhen;
    private final Optional<Expression> failWhen;

    private ExpressionOutcome previous = ExpressionOutcome.SKIPPED;
    private String lastError = "";
    private boolean stopped;
    private WatcherLane.Scheduled ticks;

    ExpressionWatcher(WatcherContext context, Duration interval, Optional<Expression> successWhen,
                      Optional<Expression> failWhen) {
        this.context = context;
        this.interval = interval;
        this.successWhen = successWhen;
        this.failWhen = failWhen;
    }

    @Override
    public void start() {
        if (!stopped) {
            ticks = context.lane().every(interval, this::evaluate);
        }
    }

    @Override
    public void stateChanged() {
        evaluate();
    }

    @Override
    public void stop() {
        stopped = true;
        if (ticks != null) {
            ticks.cancel();
            ticks = null;
        }
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("previous_outcome", previous.text());
        return fields;
    }

    private void evaluate() {
        if (stopped) {
            return;
        }
        ExpressionOutcome before = previous;
        ExpressionOutcome outcome = outcome();
        previous = outcome;
        switch (outcome) {
            case SUCCESS_WHEN -> {
                context.publishState(currentState());
                if (before != ExpressionOutcome.SUCCESS_WHEN) {
                    context.fireSuccess();
                }
            }
            case FAILED_WHEN -> {
                context.publishState(currentState());
                if (before != ExpressionOutcome.FAILED_WHEN) {
                    context.fireFail();
                }
            }
            case ERROR -> context.publishState(currentState());
            default -> {
            }
        }
    }

    private ExpressionOutcome outcome() {
        if (!context.isActive()) {
            return ExpressionOutcome.SKIPPED;
        }
        Environment environment = ExpressionEnvironment.of(context);
        String which = ExpressionWatcherFactory.SUCCESS_WHEN;
        try {
            if (successWhen.isPresent() && successWhen.get().test(environment)) {
                return clean(ExpressionOutcome.SUCCESS_WHEN);
            }
            which = ExpressionWatcherFactory.FAIL_WHEN;
            if (failWhen.isPresent() && failWhen.get().test(environment)) {
                return clean(ExpressionOutcome.FAILED_WHEN);
            }
            return clean(ExpressionOutcome.NO_MATCH);
        } catch (EvaluationException e) {
            String problem = "evaluating " + which + " failed: " + e.getMessage();
            if (!problem.equals(lastError)) { // once per distinct problem: it comes back on every evaluation
                context.logger().warn("{}", problem);
                lastError = problem;
            } else {
                context.logger().debug("{}", problem);
            }
            return ExpressionOutcome.ERROR;
        }
    }

    private ExpressionOutcome clean(ExpressionOutcome outcome) {
        lastError = "";
        return outcome;
    }
}
