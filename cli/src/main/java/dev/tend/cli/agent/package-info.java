/**
 * {@code tend agent}: {@link dev.tend.cli.agent.AgentCommand} (the only class to read) turns the options, the
 * environment and the config files into a running {@code dev.tend.machine.agent.Agent} and serves its control socket
 * ({@code dev.tend.machine.control.ControlServer}) until SIGTERM or SIGINT. It resolves the locations, the facts file
 * and the identity ({@code dev.tend.cli.settings.AgentLocations}: the option, {@code TEND_<KEY>}, the config files,
 * else {@code AgentPaths}' root's or the user's default), the store as {@code tend kv} chooses it ({@code dev.tend.cli.store}),
 * opened on a machine's first use ({@code LazyStore}) and reconnecting for ever when it is NATS; loads the watcher
 * plugins; and gives the machines their event sinks: the log, the events file, and NATS when the store is NATS.
 * With {@code --manage-machines} ({@code MachinesManagerSettings}: the options, else the config files'
 * {@code plugin.machines.*}) it writes the built-in manager machine ({@code MachinesManager}, Choria's
 * {@code plugins_manager}) into the machines directory before the first scan, and removes it when run without. The
 * config files' {@code plugin.choria.machine.signing_key} ({@code MachineSigningKeySetting}) is the machines' signing
 * key, which every {@code plugins} and {@code machines} watcher verifies with.
 * With {@code --listen} ({@code ListenSetting}: the option, {@code TEND_LISTEN}, else the config files' {@code listen:}) it binds the HTTP
 * listener ({@code dev.tend.observe.ObserveListener}) before it logs or runs anything, and {@code AgentEndpoints} gives it
 * {@code /metrics} and {@code /healthz} (the checks: store, machines loaded, listener, control socket).
 * {@code AgentLogging} shows the agent's log from INFO up on stderr ({@code TEND_LOG_LEVEL}, {@code TEND_LOG_FORMAT},
 * then the config files' {@code log:} change what the command line left alone). {@code AgentFastPath} makes the command from its
 * plain command line without picocli, whose model the agent would otherwise hold for as long as it runs.
 *
 * <p>Public: {@code AgentCommand}, which {@code dev.tend.cli} adds to {@code tend}, and {@code AgentFastPath}, which
 * {@code dev.tend.cli.FastPath} calls. Like every command family it uses
 * no other family, only what they share ({@code dev.tend.cli.command}, {@code dev.tend.cli.store}, {@code dev.tend.cli.settings}). docs/machines.md
 * ("The agent") describes the command for users.
 */
package dev.tend.cli.agent;
