package dev.tend.watchers.expression;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.MachineFunctions;
import dev.tend.machine.spi.WatcherContext;

import java.util.Map;

/**
 * What {@code success_when} and {@code fail_when} see, as in the reference: {@code data} (the machine's data),
 * {@code facts} (the node's facts, a map here where the reference has raw JSON: {@code facts.os.family} works in Tend
 * only), {@code identity} (the node's identity) and {@code get_fact(path)}.
 */
final class ExpressionEnvironment {

    private ExpressionEnvironment() {
    }

    /** The names, for compiling at load. */
    static Environment declared() {
        return Environment.builder()
                .variable("data", Map.of())
                .variable("facts", Map.of())
                .variable("identity", "")
                .function(MachineFunctions.getFact(Map::of))
                .build();
    }

    /** The values of the moment. */
    static Environment of(WatcherContext context) {
        Map<String, Object> facts = context.facts();
        return Environment.builder()
                .variable("data", context.data().snapshot())
                .variable("facts", facts)
                .variable("identity", context.identity())
                .function(MachineFunctions.getFact(() -> facts))
                .build();
    }
}
