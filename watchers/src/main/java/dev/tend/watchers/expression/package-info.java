/**
 * The {@code expression} watcher type: {@code success_when} and {@code fail_when}, expressions in expr syntax over
 * the machine's {@code data}, the node's {@code facts} and {@code identity}, and {@code get_fact(path)}, compiled at
 * load with the runtime's expression language ({@code dev.tend.machine.expression}) and evaluated every interval
 * (default 10 s, at least 500 ms; the first time one interval after start) and on every state change. The outcome is
 * {@code success_when}, {@code failed_when}, {@code no_match}, {@code error} or, while inactive, {@code skipped};
 * transitions fire when the outcome changes to {@code success_when} or {@code failed_when}.
 *
 * <p>Entry point: {@link dev.tend.watchers.expression.ExpressionWatcherFactory} (properties, the load checks, which
 * compile the expressions); {@code ExpressionWatcher} is the behaviour, {@code ExpressionEnvironment} what the
 * expressions see.
 *
 * <p>Threads: everything of {@code ExpressionWatcher} runs on the watcher's lane, the interval ticks included.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code expression}; the language: docs/expressions.md.
 */
package dev.tend.watchers.expression;
