/**
 * The machine model and what every runner of machines shares: start here.
 *
 * <p>The model: {@link dev.tend.machine.MachineDefinition} (a loaded {@code machine.yaml}: states, transitions and the
 * watchers' {@link dev.tend.machine.spi.WatcherDefinition}s), {@link dev.tend.machine.TransitionDefinition},
 * {@link dev.tend.machine.Subscription}, {@link dev.tend.machine.Problem} and {@link dev.tend.machine.MachineLoadException}
 * for what does not load. A running machine is a {@link dev.tend.machine.Machine}, with its
 * {@link dev.tend.machine.MachineStatus}. The watcher types known are a {@link dev.tend.machine.WatcherRegistry}.
 *
 * <p>Running machines: {@link dev.tend.machine.MachineSettings} is what the code that runs machines chooses for all of
 * them (identity, watcher types, state directory, store, facts, event sinks, executors, clock, random), built once and
 * passed down; {@link dev.tend.machine.MachineEnvironment} is what one machine gets, those settings with both executors
 * and a {@link dev.tend.machine.MachineHost} (the other machines of the node).
 *
 * <p>This package names none of its implementations: {@code load.MachineLoader} reads definitions,
 * {@code engine.Machines} runs them, {@code agent.Agent} and {@code agent.MachineGroup} run many. It depends only on the
 * watcher SPI, the events and the store's API (docs/architecture.md, runtime).
 */
package dev.tend.machine;
