package dev.tend.machine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What the agent that runs a machine knows of its own health, for health checks of it (the {@code nagios} watcher's
 * {@code choria_status} builtin). The store's health is the store's: a check uses {@link WatcherContext#store()}.
 *
 * @param machinesLoaded how many machines run beside this one (this one included)
 * @param lastActivity   when the last event of any of them was published, or when they began to run if none has been
 */
public record AgentHealth(int machinesLoaded, Instant lastActivity) {
    public AgentHealth {
        Objects.requireNonNull(lastActivity, "lastActivity");
    }
}
