/**
 * The expression language's implementation on Apache Commons JEXL: {@link
 * dev.tend.machine.expression.jexl.JexlExpressionCompiler} (registered as the
 * {@link dev.tend.machine.expression.ExpressionCompiler} service) splits expr text into tokens ({@code ExprLexer}),
 * translates them one by one to JEXL text ({@code Translator}: keywords and operators rewritten, variables renamed,
 * calls routed through one namespace, a pipe {@code x | f(a)} written as the call {@code f(x, a)}, what JEXL cannot
 * express with expr's meaning refused with its position), and
 * parses that with an engine restricted to expressions. At run time {@code ExprArithmetic} gives JEXL's operators
 * expr's meaning (no coercion, type mismatches as errors, field access on maps, lists and strings only),
 * {@code FunctionCalls} dispatches calls to the environment's functions and the built-ins ({@code Builtins}), and
 * {@code SandboxPermissions} keeps JEXL from reflecting on any other class. docs/expressions.md lists what is supported.
 */
package dev.tend.machine.expression.jexl;
