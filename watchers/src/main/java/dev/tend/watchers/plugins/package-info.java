/**
 * The {@code plugins} watcher type and Choria's older {@code machines}: they manage other machines from a signed
 * specification in machine data (normally put there by a {@code kv} watcher). Each run reads the specification
 * ({@code dev.tend.fleet.spec}), verifies its signature with the agent's machine signing key or the {@code public_key}
 * property (a specification that does not verify is deleted from the data), keeps the items whose {@code match}
 * expression accepts this node, and writes for each a small manager machine {@code <prefix>_<name>/machine.yaml} in the
 * machines directory (the same bytes Choria writes) whose {@code archive} watcher downloads the machine; with
 * {@code purge_unknown} it removes the manager machines, and then the machines, that are no longer wanted. A run
 * happens at start, at each interval, on each state change and shortly after the data item changed
 * ({@code Watcher.dataChanged}, debounced).
 *
 * <p>Entry points: {@link dev.tend.watchers.plugins.PluginsWatcherFactory} and
 * {@link dev.tend.watchers.plugins.MachinesWatcherFactory} (both through {@code ManagerFactory}: properties, load
 * checks). {@code ManagingWatcher} is the behaviour; {@code SpecReader} reads and checks the specification,
 * {@code NodeMatcher} evaluates matchers, {@code ManagerMachineYaml} renders the manager machine and
 * {@code ManagerDirectories} does the file system work; {@code SpecForm} holds the two types' differences;
 * {@code WarmUp} runs that code once on a made-up specification while the watcher waits for a real one; entry names
 * are checked with {@code dev.tend.fleet.spec.ItemNames}.
 *
 * <p>Threads: {@code ManagingWatcher} runs on the watcher's lane; matching and the file system work run as its
 * blocking work, and the pause between removing a manager machine and what it managed is a lane timer.
 *
 * <p>User-facing behaviour: docs/watchers.md, sections {@code plugins} and {@code machines}.
 */
package dev.tend.watchers.plugins;
