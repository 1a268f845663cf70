package dev.tend.machine.expression;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The variables and functions an expression sees. Immutable; build with {@link #builder()}, extend with
 * {@link #toBuilder()}. The same kind of environment serves to compile (only its names and the functions' argument
 * bounds count) and to evaluate (with the values of the moment).
 */
public final class Environment {

    private final Map<String, Object> variables;
    private final Map<String, ExpressionFunction> functions;

    private Environment(Map<String, Object> variables, Map<String, ExpressionFunction> functions) {
        this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        this.functions = Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    }

    public static Builder builder() {
        return new Builder(Map.of(), Map.of());
    }

    public Builder toBuilder() {
        return new Builder(variables, functions);
    }

    public Set<String> variableNames() {
        return variables.keySet();
    }

    public boolean hasVariable(String name) {
        return variables.containsKey(name);
    }

    /** The variable's value; {@code null} both for nil and for a name that is not declared. */
    public Object variable(String name) {
        return variables.get(name);
    }

    public Optional<ExpressionFunction> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    public Map<String, ExpressionFunction> functions() {
        return functions;
    }

    /** Builds an {@link Environment}; a name given again replaces the earlier one. */
    public static final class Builder {

        private final Map<String, Object> variables;
        private final Map<String, ExpressionFunction> functions;

        private Builder(Map<String, Object> variables, Map<String, ExpressionFunction> functions) {
            this.variables = new LinkedHashMap<>(variables);
            this.functions = new LinkedHashMap<>(functions);
        }

        /** A variable; its value is JSON-like (see {@link Expression#evaluate}) and may be {@code null}. */
        public Builder variable(String name, Object value) {
            variables.put(name, value);
            return this;
        }

        public Builder function(ExpressionFunction function) {
            functions.put(function.name(), function);
            return this;
        }

        public Environment build() {
            return new Environment(variables, functions);
        }
    }
}
