/**
 * The agent: runs every machine directory under a machines directory and keeps up with it. Start with
 * {@link dev.tend.machine.agent.Agent} ({@code Agent.builder(settings)}).
 *
 * <p>Public: {@link dev.tend.machine.agent.Agent}; {@link dev.tend.machine.agent.MachineGroup}, machines side by side
 * that are each other's host (foreign states, subscriptions), which the agent and {@code tend machine run} use;
 * {@link dev.tend.machine.agent.AgentPaths} (default directories and socket), {@link dev.tend.machine.agent.Plugins}
 * (watcher plugin jars), {@link dev.tend.machine.agent.LazyStore} (the store opened on first use), and the exceptions.
 * Inside: {@code Reconciler} decides what to load, reload and remove; {@code ScanLoop} and
 * {@code MachinesDirectoryWatch} notice changes; {@code StrictPermissions} refuses unsafe files as root.
 *
 * <p>Threads, named {@code tend-agent-*}: one scanning, one watching the file system, and the group's pools unless the
 * {@link dev.tend.machine.MachineSettings} give them: the scheduler, the watchers' lanes, the bounded blocking pool
 * ({@code BoundedPool}, which warns once when work waits long) and the threads of long waits (see
 * {@link dev.tend.machine.agent.MachineGroup}). The agent and its group implement
 * {@link dev.tend.machine.control.RunningMachines}, which is what the control socket serves; the socket itself is in
 * {@code dev.tend.machine.control} and knows nothing of the agent.
 */
package dev.tend.machine.agent;
