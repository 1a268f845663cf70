package dev.tend.machine.hiera;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.Expression;
import dev.tend.machine.expression.ExpressionCompiler;
import dev.tend.machine.expression.ExpressionSyntaxException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The placeholders' expressions a resolver has compiled, by their text: a kv watcher resolves the same document at
 * every poll, and compiling is most of a resolution's work. At most {@link #LIMIT} are kept (all are dropped when one
 * more comes, so a document that changes all the time does not grow it). Thread-safe.
 */
final class CompiledExpressions {

    static final int LIMIT = 256;

    /** What expressions are compiled against: {@code lookup} with its argument bounds (its body is never called). */
    private static final Environment DECLARED = Environment.builder()
            .function(FactLookup.over(Map.of()))
            .build();

    private final ExpressionCompiler compiler;
    private final Map<String, Expression> compiled = new ConcurrentHashMap<>();

    CompiledExpressions(ExpressionCompiler compiler) {
        this.compiler = compiler;
    }

    ExpressionCompiler compiler() {
        return compiler;
    }

    Expression get(String source) throws ExpressionSyntaxException {
        Expression known = compiled.get(source);
        if (known != null) {
            return known;
        }
        Expression expression = compiler.compile(source, DECLARED);
        if (compiled.size() >= LIMIT) {
            compiled.clear();
        }
        compiled.put(source, expression);
        return expression;
    }
}
