package dev.tend.watchers.kv;

import dev.tend.machine.hiera.HieraException;
import dev.tend.machine.hiera.HieraResolver;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code hiera_config: true}: a JSON object value is a Tiny Hiera document, resolved against the node's facts of the
 * moment (read at every resolution, so a poll after the facts changed resolves with the new ones).
 */
final class HieraValues {

    private final HieraResolver resolver;
    private final Supplier<Map<String, Object>> facts;

    HieraValues(HieraResolver resolver, Supplier<Map<String, Object>> facts) {
        this.resolver = resolver;
        this.facts = facts;
    }

    /**
     * @param where the bucket and key, for the message
     * @throws InvalidValueException when the document does not resolve
     */
    Map<String, Object> resolve(Map<String, Object> document, String where) {
        try {
            return resolver.resolve(document, facts.get());
        } catch (HieraException e) {
            throw new InvalidValueException(where + ": hiera_config: the value does not resolve as Tiny Hiera: "
                    + e.getMessage());
        }
    }
}
