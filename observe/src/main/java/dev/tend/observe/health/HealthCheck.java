package dev.tend.observe.health;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One part of the agent's health: its name in {@code /healthz}'s answer and what is wrong with it now, if anything.
 *
 * @param name    e.g. {@code store}
 * @param problem what is wrong, one line, or empty when healthy; a check that throws counts as a problem
 */
public record HealthCheck(String name, Supplier<Optional<String>> problem) {

    public HealthCheck {
        if (name == null || name.isEmpty() || problem == null) {
            throw new IllegalArgumentException("a health check needs a name and a check");
        }
    }

    /** Runs the check: its problem, or empty. */
    Optional<String> run() {
        try {
            Optional<String> p = problem.get();
            return p == null ? Optional.empty() : p;
        } catch (RuntimeException e) {
            String m = e.getMessage();
            return Optional.of(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
        }
    }
}
