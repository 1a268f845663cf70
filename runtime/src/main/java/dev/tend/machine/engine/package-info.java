/**
 * The state machine engine. Its one public entry is {@link dev.tend.machine.engine.Machines#create}: a
 * {@link dev.tend.machine.Machine} for a definition and a {@link dev.tend.machine.MachineEnvironment}; everything else is
 * package-private.
 *
 * <p>Where to read: {@code EngineMachine} (the machine), {@code Transitions} (state, the queue of fired events, loop
 * protection as scheduled tasks under a short lock), {@code Outbox} (what follows a transition, run outside the lock
 * in order), {@code WatcherLifecycle} and {@code WatcherHandle} (splay, create and start, one call at a time per
 * watcher, a coalescing poke, announcements, stop), {@code EngineWatcherContext} (a watcher's
 * {@link dev.tend.machine.spi.WatcherContext}), {@code StateKeeper} (for a machine that resumes its state: what it starts
 * in, and the saved state written after every transition and change of its data).
 *
 * <p>Threads: none of its own; it works on the environment's scheduler, lane, blocking and wait executors (how, in
 * docs/architecture.md, runtime). The engine does not know who runs it (an agent, {@code tend machine run}, a test).
 */
package dev.tend.machine.engine;
