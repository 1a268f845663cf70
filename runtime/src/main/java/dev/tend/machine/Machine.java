package dev.tend.machine;

/**
 * A loaded machine: its state, its watchers, and the operations an agent and an operator need. Create with
 * {@link dev.tend.machine.engine.Machines#create}. Thread-safe; transitions are applied one at a time.
 */
public interface Machine {

    MachineDefinition definition();

    /** A fresh UUID each time the machine is loaded. */
    String instanceId();

    String state();

    MachineStatus status();

    /** Starts the watchers after a random splay in [0, splay_start); returns at once. Idempotent. */
    void start();

    /** Stops the watchers and any pending start or delay (reload, shutdown). Idempotent; returns when they stopped. */
    void stop();

    /** Like {@link #stop()}, and runs the watchers' delete hooks: the machine's directory was removed. */
    void delete();

    /**
     * An operator's transition ({@code tend machine transition}): applied now, bypassing loop protection's delay.
     *
     * @return the state after the transition
     * @throws InvalidTransitionException when {@code event} is not valid in the current state (the message names the
     *                                    valid ones)
     */
    String transition(String event) throws InvalidTransitionException;

    /**
     * A transition requested by a watcher or a subscription: queued behind loop protection, ignored with a debug log when
     * it is not valid in the state the machine is in when it is applied. Never blocks.
     */
    void fire(String event);
}
