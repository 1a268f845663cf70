package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.Environment;
import org.apache.commons.jexl3.JexlContext;

import java.util.List;

/**
 * One evaluation's variables (the translation's {@code __vN}, read from the environment) and its {@code fn}
 * namespace. Read-only.
 */
final class EvaluationContext implements JexlContext, JexlContext.NamespaceResolver {

    static final String NAMESPACE = "fn";

    private final Environment environment;
    private final List<String> variables;
    private final FunctionCalls functions;

    EvaluationContext(Environment environment, List<String> variables) {
        this.environment = environment;
        this.variables = variables;
        this.functions = new FunctionCalls(environment);
    }

    @Override
    public Object get(String name) {
        int index = index(name);
        return index < 0 ? null : environment.variable(variables.get(index));
    }

    @Override
    public void set(String name, Object value) {
        throw new UnsupportedOperationException("expressions cannot assign");
    }

    @Override
    public boolean has(String name) {
        return index(name) >= 0;
    }

    @Override
    public Object resolveNamespace(String name) {
        return NAMESPACE.equals(name) ? functions : null;
    }

    private int index(String name) {
        if (!name.startsWith("__v")) {
            return -1;
        }
        try {
            int index = Integer.parseInt(name.substring(3));
            return index < variables.size() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
