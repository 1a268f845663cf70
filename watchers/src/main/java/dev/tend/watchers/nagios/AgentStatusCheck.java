package dev.tend.watchers.nagios;

import dev.tend.kv.KvException;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.machine.spi.AgentHealth;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.units.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code choria_status} builtin, on Tend's own agent: {@code CRITICAL} when the store does not answer (the
 * reference: not connected to a broker) or when no machine of the agent published an event for longer than
 * {@code last_message} (the reference: no RPC message for that long), else {@code OK}; {@code UNKNOWN} when whatever runs
 * the machine tells no health (the reference: no status file). {@code pubcert_expire} and {@code token_expire} are
 * accepted and ignored: Tend has no certificate or token of its own. The output carries performance data:
 * {@code machines}, {@code last_event} (unix seconds), {@code last_event_age} (seconds), {@code store} (1 answered,
 * 0 did not; left out without a store).
 */
final class AgentStatusCheck {

    private AgentStatusCheck() {
    }

    /** Blocking: asks the store for its buckets. */
    static CheckResult run(NagiosProperties properties, WatcherContext context) {
        Optional<AgentHealth> health = context.agentHealth();
        if (health.isEmpty()) {
            return result(NagiosStatus.UNKNOWN, "UNKNOWN: the agent's health is not available here", "");
        }
        Instant now = context.clock().instant();
        AgentHealth h = health.get();
        long age = Math.max(0, Duration.between(h.lastActivity(), now).toSeconds());
        String storeProblem = null;
        Integer storeAnswered = null;
        try {
            context.store().bucketNames();
            storeAnswered = 1;
        } catch (UnsupportedFeatureException e) {
            // no store configured: nothing to check
        } catch (KvException | IllegalStateException e) {
            storeAnswered = 0;
            storeProblem = e.getMessage();
        }
        StringBuilder perf = new StringBuilder()
                .append("machines=").append(h.machinesLoaded()).append(";; ")
                .append("last_event=").append(h.lastActivity().getEpochSecond()).append(";; ")
                .append("last_event_age=").append(age).append("s;;");
        if (storeAnswered != null) {
            perf.append(" store=").append(storeAnswered).append(";;");
        }
        if (storeProblem != null) {
            return result(NagiosStatus.CRITICAL, "CRITICAL: the store does not answer: " + storeProblem, perf.toString());
        }
        if (Duration.ofSeconds(age).compareTo(properties.lastMessage()) > 0) {
            return result(NagiosStatus.CRITICAL, "CRITICAL: the last event was " + age + "s ago, more than "
                    + Durations.format(properties.lastMessage()), perf.toString());
        }
        return result(NagiosStatus.OK, "OK: " + h.machinesLoaded() + " machines, last event " + age + "s ago",
                perf.toString());
    }

    private static CheckResult result(NagiosStatus status, String text, String perf) {
        return CheckResult.of(status, perf.isEmpty() ? text : text + "|" + perf, NagiosProperties.CHORIA_STATUS);
    }
}
