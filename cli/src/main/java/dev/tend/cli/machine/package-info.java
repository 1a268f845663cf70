/**
 * {@code tend machine}: one class per subcommand under {@link dev.tend.cli.machine.MachineCommand} (start here; public
 * for {@code dev.tend.cli} with {@link dev.tend.cli.machine.MachineFastPath}, which makes {@code list}, {@code info} and
 * {@code transition} in their plain shapes without picocli). docs/machines.md ("Commands") describes each for users.
 *
 * <ul>
 *   <li>Machine files, no agent needed: {@code MachineValidate} (every problem, schema and semantic),
 *   {@code MachineGraph} (DOT or Mermaid through {@code StateGraph}) and {@code MachineSchemaCommand}, all knowing the
 *   agent's watcher types through {@code WatcherTypes} ({@code --plugins}); {@code MachineRun} runs machines in the
 *   foreground in a {@code dev.tend.machine.agent.MachineGroup} of their own, printing their events.</li>
 *   <li>A running agent, over its control socket ({@code dev.tend.machine.control.ControlClient}, through
 *   {@code AgentSocket}: {@code --socket}, else {@code TEND_SOCKET} or the config files' {@code socket:} through
 *   {@code dev.tend.cli.settings.AgentLocations}, as the agent finds it): {@code MachineList}, {@code MachineInfo} ({@code MachineInfoBlock}),
 *   {@code MachineTransition}, and {@code MachineEvents --follow}; with {@code --fleet} or {@code --node} the same
 *   commands and {@code ScoutTransition} ask agents over NATS instead ({@code FleetTarget}: the options and the
 *   connection; {@code FleetListing} the fleet-wide list; {@code FleetTransition} transitions on every node).</li>
 *   <li>{@code MachineEvents}: without {@code --follow} the end of the events file, read backwards
 *   ({@code LinesBackwards}); with {@code --follow --nats} every agent's events from NATS ({@code NatsEventFollower});
 *   {@code EventLines} formats each line.</li>
 * </ul>
 *
 * <p>Uses the runtime's public packages (model, loader, agent's {@code MachineGroup}, {@code AgentPaths} and
 * {@code Plugins}, control client, events, data) and of the CLI only {@code command}, {@code output}, {@code store} and
 * {@code settings},
 * never another command family.
 */
package dev.tend.cli.machine;
