package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.ExpressionFunction;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code fn} namespace of one evaluation: every function call of an expression comes here as
 * {@code fn:call('name', args...)}, and goes to the environment's function of that name, or to the built-in one. The
 * only class whose methods JEXL may call ({@link SandboxPermissions}).
 */
public final class FunctionCalls {

    private final Environment environment;

    FunctionCalls(Environment environment) {
        this.environment = environment;
    }

    public Object call(String name) {
        return invoke(name);
    }

    public Object call(String name, Object a) {
        return invoke(name, a);
    }

    public Object call(String name, Object a, Object b) {
        return invoke(name, a, b);
    }

    public Object call(String name, Object a, Object b, Object c) {
        return invoke(name, a, b, c);
    }

    public Object call(String name, Object a, Object b, Object c, Object d) {
        return invoke(name, a, b, c, d);
    }

    public Object call(String name, Object a, Object b, Object c, Object d, Object e) {
        return invoke(name, a, b, c, d, e);
    }

    public Object call(String name, Object a, Object b, Object c, Object d, Object e, Object f) {
        return invoke(name, a, b, c, d, e, f);
    }

    public Object call(String name, Object a, Object b, Object c, Object d, Object e, Object f, Object g) {
        return invoke(name, a, b, c, d, e, f, g);
    }

    public Object call(String name, Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h) {
        return invoke(name, a, b, c, d, e, f, g, h);
    }

    private Object invoke(String name, Object... args) {
        Optional<ExpressionFunction> function = environment.function(name).or(() -> Builtins.function(name));
        if (function.isEmpty()) {
            throw new ExprError("unknown func " + name);
        }
        List<Object> values = Arrays.asList(args);
        try {
            return function.get().body().apply(values);
        } catch (EvaluationException e) {
            throw new ExprError(e.getMessage());
        } catch (ExprError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ExprError(name + ": " + e);
        }
    }
}
