package dev.tend.watchers.plugins;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.ExpressionCompiler;
import dev.tend.machine.expression.ExpressionSyntaxException;
import dev.tend.machine.expression.MachineFunctions;

import java.util.Map;

/**
 * Whether an item's {@code match} accepts this node: an expression (expr syntax) that must give a boolean, over the
 * functions the reference gives its matchers: {@code identity(regex)}, {@code has_file(path)},
 * {@code has_directory(path)}, {@code has_command(name)} and, for the {@code plugins} form only (as in the reference),
 * {@code get_fact(query)}. An empty expression accepts every node.
 */
final class NodeMatcher {

    private final ExpressionCompiler compiler;
    private final SpecForm form;
    private final String path;

    /** @param path the {@code PATH} {@code has_command} searches */
    NodeMatcher(ExpressionCompiler compiler, SpecForm form, String path) {
        this.compiler = compiler;
        this.form = form;
        this.path = path;
    }

    /** @throws MatchException when the expression does not compile, or its evaluation fails or is not a boolean */
    boolean matches(String expression, String identity, Map<String, Object> facts) throws MatchException {
        if (expression.isEmpty()) {
            return true;
        }
        Environment.Builder env = Environment.builder()
                .function(MachineFunctions.identityMatcher(identity))
                .function(MachineFunctions.hasFile())
                .function(MachineFunctions.hasDirectory())
                .function(MachineFunctions.hasCommand(path));
        if (form == SpecForm.PLUGINS) {
            env.function(MachineFunctions.getFact(() -> facts));
        }
        Environment environment = env.build();
        try {
            return compiler.compileBoolean(expression, environment).test(environment);
        } catch (ExpressionSyntaxException | EvaluationException e) {
            throw new MatchException(e.getMessage());
        }
    }

    /** A matcher that cannot be evaluated; the message is one line. */
    static final class MatchException extends Exception {
        private static final long serialVersionUID = 1L;

        MatchException(String message) {
            super(message);
        }
    }
}
