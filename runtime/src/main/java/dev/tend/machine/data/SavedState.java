package dev.tend.machine.data;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a machine that resumes its state keeps across restarts ({@link StateFile}): the state it was in, the definition
 * it was in it with, when it entered it, when this was written, and its data at that moment.
 *
 * @param state            the state
 * @param definitionSha256 hex SHA-256 of the {@code machine.yaml} the machine ran (its definition's {@code sha256})
 * @param entered          when the machine entered {@code state}
 * @param saved            when this was written
 * @param data             the machine's data, JSON-like values by key
 */
public record SavedState(String state, String definitionSha256, Instant entered, Instant saved,
                         Map<String, Object> data) {
    public SavedState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(definitionSha256, "definitionSha256");
        Objects.requireNonNull(entered, "entered");
        Objects.requireNonNull(saved, "saved");
        data = data == null ? Map.of() : FrozenJson.copyObject(data, "saved machine data");
    }
}
