/**
 * The machine expression language: the expr syntax that Choria's machines use (the {@code expression} watcher's
 * {@code success_when} / {@code fail_when}, and the plugin matchers), compiled once at load and evaluated against an
 * {@link dev.tend.machine.expression.Environment} of variables and functions that each caller builds.
 *
 * <p>Start with {@link dev.tend.machine.expression.ExpressionCompiler#standard()}: {@code compile(source, declared)}
 * checks the text against the names the caller declares (an unknown variable or function is refused, as expr does),
 * refuses what the language of Tend does not cover, and reports each problem as an
 * {@link dev.tend.machine.expression.ExpressionSyntaxException} with its position in the text. The resulting
 * {@link dev.tend.machine.expression.Expression} is immutable and may be evaluated from any thread; an evaluation that
 * fails (a type mismatch, fetching a field of nil) throws an {@link dev.tend.machine.expression.EvaluationException}
 * whose message is one line.
 *
 * <p>{@link dev.tend.machine.expression.MachineFunctions} holds the helper functions of the reference ({@code get_fact},
 * an {@code identity} matcher, {@code has_file}, {@code has_directory}, {@code has_command}) for callers to add.
 *
 * <p>This package is API: it names no implementation. The implementation ({@code dev.tend.machine.expression.jexl})
 * is found with {@link java.util.ServiceLoader}; docs/expressions.md says what of expr is supported and what is
 * refused.
 */
package dev.tend.machine.expression;
