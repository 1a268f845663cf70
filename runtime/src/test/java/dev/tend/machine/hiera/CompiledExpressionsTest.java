package dev.tend.machine.hiera;

import dev.tend.machine.expression.Expression;
import dev.tend.machine.expression.ExpressionCompiler;
import dev.tend.machine.expression.ExpressionSyntaxException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompiledExpressionsTest {

    @Test
    void anExpressionIsCompiledOnceAndAtMostTheLimitAreKept() throws ExpressionSyntaxException {
        CompiledExpressions expressions = new CompiledExpressions(ExpressionCompiler.standard());
        Expression first = expressions.get("lookup('facts.a')");
        assertThat(expressions.get("lookup('facts.a')")).isSameAs(first);
        for (int i = 0; i < CompiledExpressions.LIMIT; i++) {
            expressions.get("lookup('facts.a') + " + i);
        }
        assertThat(expressions.get("lookup('facts.a')")).as("dropped when the limit was reached").isNotSameAs(first);
    }

    @Test
    void onlyLookupIsKnown() {
        CompiledExpressions expressions = new CompiledExpressions(ExpressionCompiler.standard());
        assertThatThrownBy(() -> expressions.get("get_fact('a')")).isInstanceOf(ExpressionSyntaxException.class);
        assertThatThrownBy(() -> expressions.get("lookup()")).isInstanceOf(ExpressionSyntaxException.class);
    }
}
