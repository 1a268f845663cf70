package dev.tend.cli.agent;

import dev.tend.cli.command.Closer;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.UntilSignalled;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.cli.settings.Source;
import dev.tend.cli.settings.Sourced;
import dev.tend.cli.store.ConnectionSettings;
import dev.tend.cli.store.EventsOnNats;
import dev.tend.cli.store.NatsFlags;
import dev.tend.cli.store.StoreLocator;
import dev.tend.cli.store.StoreModeSetting;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreMode;
import dev.tend.kv.StoreUrls;
import dev.tend.kv.nats.NatsConnections;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.agent.Agent;
import dev.tend.machine.agent.AgentException;
import dev.tend.machine.agent.AgentPaths;
import dev.tend.machine.agent.LazyStore;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.control.ControlServer;
import dev.tend.machine.control.NatsControlServer;
import dev.tend.machine.data.FactsFile;
import dev.tend.machine.event.EventsFile;
import dev.tend.machine.event.LogEventSink;
import dev.tend.machine.event.NatsEventSink;
import dev.tend.machine.event.NatsEventSubjects;
import dev.tend.observe.ListenAddress;
import dev.tend.observe.ObserveListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code tend agent}: runs every machine in the machines directory, keeps up with it while running, and serves the
 * control socket, until SIGTERM or SIGINT (then everything stops and the exit status is 0). Defaults per
 * {@link AgentPaths}; the store as {@code tend kv} chooses it ({@link StoreLocator}), opened when a machine first uses it.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs every machine in the machines directory until stopped (SIGTERM, SIGINT).")
public final class AgentCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);

    private final Map<String, String> env;

    @Option(names = "--machines", paramLabel = "DIR",
            description = "The machines directory, one sub directory per machine; it must exist. Default: "
                    + "TEND_MACHINES, the config file's machines:, /etc/tend/machines as root, else "
                    + "~/.config/tend/machines (only this built-in default is made when missing).")
    Path machines;

    @Option(names = "--store", paramLabel = "URL",
            description = "The KV store, as for tend kv. Default: TEND_STORE, the config file's store:, "
                    + "/var/lib/tend/kv when accessible, else ~/.local/share/tend/kv.")
    String store;

    @Option(names = StoreModeSetting.OPTION, paramLabel = "owner|group",
            description = "Who may read and write the embedded store's files it creates: owner (0600, directories "
                    + "0700) or group (0660, 2770, for operators in the store directory's group). Default: "
                    + "TEND_STORE_MODE, the config file's store_mode:, owner.")
    String storeMode;

    @Mixin
    NatsFlags nats = NatsFlags.none();

    @Option(names = "--facts", paramLabel = "FILE", description = "The node's facts, a JSON or YAML file. Default: "
            + "TEND_FACTS, the config file's facts:, none.")
    Path facts;

    @Option(names = "--overrides", paramLabel = "FILE",
            description = "Choria Scout's overrides, a JSON or YAML file with an object per machine name: templates' "
                    + "{{ o \"path\" default }} read the machine's own (nagios thresholds), goss gets the file as "
                    + "its variables. Read again when it changes.")
    Path overrides;

    @Option(names = "--identity", paramLabel = "NAME", description = "The node identity. Default: TEND_IDENTITY, "
            + "the config file's identity:, the host name.")
    String identity;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Machine data and the events file. Default: TEND_STATE, the config file's state:, "
                    + "/var/lib/tend as root, else ~/.local/state/tend.")
    Path state;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Watcher plugin jars. Default: TEND_PLUGINS, the config file's plugins:, "
                    + "/usr/lib/tend/plugins as root, else ~/.local/share/tend/plugins.")
    Path plugins;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The control socket. Default: TEND_SOCKET, the config file's socket:, "
                    + "/run/tend/agent.sock as root, else "
                    + "$XDG_RUNTIME_DIR/tend/agent.sock.")
    Path socket;

    @Option(names = EventsOnNats.PREFIX_OPTION, paramLabel = "PREFIX",
            description = "With a NATS store, the subjects machine events are published on: PREFIX.transition and "
                    + "PREFIX.watcher.<type>.state; the agent answers requests under PREFIX.request. Default: TEND_EVENTS_PREFIX, the config file's events_prefix:, "
                    + NatsEventSubjects.DEFAULT_PREFIX + ".")
    String eventsPrefix;

    @Option(names = "--blocking-threads", paramLabel = "N",
            description = "The most threads for the machines' short blocking work (opening kv watches, store reads, "
                    + "file checks, starting commands); more work waits its turn. Running commands are not counted. "
                    + "Default: " + MachineSettings.DEFAULT_BLOCKING_THREADS + ".")
    Integer blockingThreads;

    @Option(names = "--textfile-dir", paramLabel = "DIR",
            description = "Where watchers write Prometheus textfiles for a node exporter's textfile collector (the "
                    + "nagios watchers' choria_machine_nagios_watcher_status.prom). An existing directory. Default: "
                    + "none, no textfiles.")
    Path textfileDir;

    @Option(names = "--manage-machines",
            description = "Run the built-in manager (Choria's plugins_manager machine): it reads a signed specification"
                    + " of machines from the store (tend fleet publish writes it) and installs the ones whose match "
                    + "accepts this node. Default: the config file's plugin.machines.download:, false.")
    boolean manageMachines;

    @Option(names = "--machines-bucket", paramLabel = "BUCKET",
            description = "With --manage-machines, the specification's bucket. Default: the config file's "
                    + "plugin.machines.bucket:, " + MachinesManager.DEFAULT_BUCKET + ".")
    String machinesBucket;

    @Option(names = "--machines-key", paramLabel = "KEY",
            description = "With --manage-machines, the specification's key. Default: the config file's "
                    + "plugin.machines.key:, " + MachinesManager.DEFAULT_KEY + ".")
    String machinesKey;

    @Option(names = "--machines-signing-key", paramLabel = "HEX|FILE",
            description = "With --manage-machines, the public key the specification must be signed with (hex, or a "
                    + "file holding it: tend fleet keygen's fleet.pub). Default: the config file's "
                    + "plugin.machines.signing_key:, none (signatures are not checked).")
    String machinesSigningKey;

    @Option(names = "--machines-check-interval", paramLabel = "DUR",
            description = "With --manage-machines, how often the specification is applied and each installed machine "
                    + "checked (at least 2s). Default: the config file's plugin.machines.check_interval:, 30s.")
    String machinesCheckInterval;

    @Option(names = "--machines-purge", paramLabel = "true|false",
            description = "With --manage-machines, remove the machines the specification no longer lists. Default: "
                    + "the config file's plugin.machines.purge:, true.")
    String machinesPurge;

    @Option(names = "--machines-target", paramLabel = "DIR",
            description = "With --manage-machines, where the manager writes the machines it installs. Default: the "
                    + "config file's plugin.machines.target:, the machines directory.")
    Path machinesTarget;

    @Option(names = ListenSetting.OPTION, paramLabel = "HOST:PORT",
            description = "Serve HTTP on this address: metrics, health and the status page. HOST:PORT, [IPv6]:PORT, or "
                    + ":PORT for " + ListenAddress.LOOPBACK + " (this machine only). Default: TEND_LISTEN, the "
                    + "config file's "
                    + "listen:,"
                    + " none.")
    String listen;

    @Option(names = "--resume-state",
            description = "After a restart, or a reload of an unchanged machine.yaml, every machine resumes its last "
                    + "state and data instead of entering initial_state (as machines whose file has tend: "
                    + "{resume_state: true}); a changed file starts fresh. Default: false.")
    boolean resumeState;

    @Option(names = "--insecure-permissions",
            description = "As root, also run machines whose directory or machine.yaml is not owned by root or is "
                    + "writable by others (for development only).")
    boolean insecurePermissions;

    @Option(names = "--noop",
            description = "Run the machines without acting on the node: watchers run no command and write no file they "
                    + "manage (archives, managed files, machines), log what they would have done and go on as if it "
                    + "succeeded; machine data is not written.")
    boolean noop;

    public AgentCommand(Map<String, String> env) {
        this.env = env;
    }

    /** The locations to use: the defaults with the options applied. */
    AgentPaths paths() {
        return locations().paths(machines, state, socket, plugins);
    }

    /** The agent's settings other than the options: TEND_MACHINES, ..., the config files' machines:, .... */
    private AgentLocations locations() {
        return AgentLocations.of(env);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (identity != null && identity.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "--identity needs a name");
        }
        if (blockingThreads != null && (blockingThreads < 1 || blockingThreads > MachineSettings.MAX_BLOCKING_THREADS)) {
            throw new CommandException(ExitCodes.USAGE, "--blocking-threads must be 1 to "
                    + MachineSettings.MAX_BLOCKING_THREADS + ", not " + blockingThreads);
        }
        if (textfileDir != null && !Files.isDirectory(textfileDir)) {
            throw new CommandException(ExitCodes.USAGE, "--textfile-dir " + textfileDir + " is not a directory");
        }
        AgentLocations locations = locations();
        AgentPaths paths = locations.paths(machines, state, socket, plugins);
        Path factsFile = locations.facts(facts).value();
        String nodeIdentity = locations.identity(identity).value();
        StoreLocator stores = new StoreLocator(env);
        Optional<MachinesManager> manager = new MachinesManagerSettings(manageMachines, machinesBucket, machinesKey,
                machinesSigningKey, machinesCheckInterval, machinesPurge, machinesTarget)
                .resolve(stores.configFiles(), paths.machines());
        Optional<String> signingKey = MachineSigningKeySetting.resolve(stores.configFiles());
        AgentLogging.FileSettings logSettings = AgentLogging.read(env, stores.configFiles());
        String storeUrl = stores.select(store).url();
        ConnectionOptions connection = connection(storeUrl);
        StoreMode mode = ConnectionSettings.isNats(storeUrl) ? StoreMode.OWNER
                : StoreModeSetting.resolve(storeMode, env, stores.configFiles());
        NatsEventSubjects natsEvents = null;
        if (ConnectionSettings.isNats(storeUrl)) {
            natsEvents = EventsOnNats.subjects(eventsPrefix, env, stores.configFiles());
        } else if (eventsPrefix != null) {
            throw new CommandException(ExitCodes.USAGE, EventsOnNats.PREFIX_OPTION + " is only used with a NATS store"
                    + " (--store nats://host:port): events are published on NATS only then");
        }
        Optional<ListenAddress> listenAddress = ListenSetting.resolve(listen, env, stores.configFiles());
        Sourced<Path> machinesSetting = locations.machines(machines);
        if (machinesSetting.source().kind() != Source.Kind.DEFAULT && Files.notExists(machinesSetting.value())) {
            // A directory someone named (flag, TEND_MACHINES, machines:) is used as it is; only the built-in default
            // is made when missing.
            throw new CommandException(ExitCodes.USAGE, switch (machinesSetting.source().kind()) {
                case FLAG -> "--machines " + machinesSetting.value();
                case ENV -> "TEND_MACHINES " + machinesSetting.value();
                default -> machinesSetting.source() + ": machines " + machinesSetting.value();
            } + ": no such directory");
        }
        Closer closer = new Closer();
        UntilSignalled signalled = null;
        try {
            Plugins loaded = closer.add(Plugins.load(paths.plugins(), AgentCommand.class.getClassLoader()));
            AtomicReference<KvStore> opened = new AtomicReference<>();
            LazyStore lazyStore = closer.add(new LazyStore(() -> {
                KvStore s = KvStore.builder().url(storeUrl).connection(connection).storeMode(mode).build();
                opened.set(s);
                return s;
            }));
            EventsFile eventsFile = closer.add(EventsFile.in(paths.state()));
            MachineSettings.Builder settings = MachineSettings.builder()
                    .stateDirectory(paths.state())
                    .identity(nodeIdentity)
                    .watchers(loaded.registry())
                    .store(lazyStore)
                    .facts(FactsFile.of(factsFile))
                    .overrides(overrides == null ? null : overrides.toAbsolutePath(),
                            FactsFile.of(overrides == null ? null : overrides.toAbsolutePath(), "overrides"))
                    .events(new LogEventSink())
                    .events(eventsFile);
            signingKey.ifPresent(settings::machineSigningKey);
            settings.noop(noop);
            settings.resumeState(resumeState);
            if (blockingThreads != null) {
                settings.blockingThreads(blockingThreads);
            }
            if (textfileDir != null) {
                settings.textfileDirectory(textfileDir.toAbsolutePath());
            }
            NatsEventSink natsSink = null;
            if (natsEvents != null) {
                // Its own connection, made in the background once logging is set (below): the agent runs whether NATS
                // is up or not. Closed after the agent, so that the machines' last events still go out.
                natsSink = closer.add(NatsEventSink.create(storeUrl, connection, natsEvents));
                settings.events(natsSink);
            }
            Agent agent = closer.add(Agent.builder(settings.build())
                    .machines(paths.machines())
                    .strictPermissions(paths.root() && !insecurePermissions)
                    .build());
            agent.checkMachinesDirectory();
            // Bound before anything logs or runs, so that a port in use stops the agent with one line; served once
            // the control socket is up.
            ObserveListener listener = listenAddress.isPresent()
                    ? closer.add(startListener(ObserveListener.builder(listenAddress.get()).build())) : null;
            // Bad options and directories fail above with one line; from here on the agent logs what it does.
            AgentLogging.apply(logSettings);
            if (natsSink != null) {
                natsSink.begin(); // what it logs on connecting is logged now
            }
            LOG.info("watcher types: {} ({} plugin jars in {}); store {}", loaded.registry().types().isEmpty()
                    ? "none" : String.join(", ", loaded.registry().types()), loaded.jars().size(), paths.plugins(),
                    StoreUrls.redact(storeUrl));
            signingKey.ifPresent(k -> LOG.info("specifications of plugins and machines watchers must be signed by"
                    + " {} ({})", k, MachineSigningKeySetting.KEY));
            if (noop) {
                LOG.info("noop mode: no command runs and no managed file is written; watchers log what they would do");
            }
            manageMachines(manager, signingKey, paths.machines(), noop);
            // The socket before any machine: when another agent already serves it, nothing may run twice.
            ControlServer control = closer.add(startControl(paths.socket(), agent));
            if (natsEvents != null) {
                // list, info and transition over NATS for the operators' fleet commands, on a connection of its own.
                closer.add(NatsControlServer.start(storeUrl, connection, natsEvents, agent));
            }
            if (listener != null) {
                // Subscribed to the agent's events before they start.
                AgentEndpoints.serve(listener, agent, lazyStore, opened::get, control, closer);
                LOG.info("listening on http://{} (the status page, /metrics, /healthz)", ListenAddress.of(listener.boundAddress()));
            }
            // Before the start: a signal once the agent has said it started must stop it the usual way.
            signalled = UntilSignalled.install("agent", closer::close);
            agent.start();
        } catch (AgentException e) {
            cancel(signalled);
            closer.close();
            throw new CommandException(ExitCodes.FAILURE, e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            cancel(signalled);
            closer.close();
            throw e;
        }
        signalled.await();
        return ExitCodes.OK; // not reached: the process ends in the shutdown hook
    }

    /** Writes (or removes) the built-in manager's machine before the agent's first scan. */
    private static void manageMachines(Optional<MachinesManager> manager, Optional<String> signingKey, Path machines,
                                       boolean noop) {
        if (noop) { // the manager machine is a file in the machines directory: left as it is
            manager.ifPresent(m -> LOG.info("noop: the built-in manager {} in {} is left as it is", MachinesManager.NAME,
                    machines));
            return;
        }
        try {
            if (manager.isPresent()) {
                MachinesManager m = manager.get();
                m.install(machines);
                LOG.info("managing machines from {} > {} into {} (check every {}, purge {}, {})", m.bucket(), m.key(),
                        m.target(), dev.tend.units.Durations.format(m.checkInterval()), m.purge(),
                        signingKey.map(k -> "signed by " + k).orElse(m.publicKey().isEmpty()
                                ? "signatures NOT checked: no signing key" : "signed by " + m.publicKey()));
            } else if (MachinesManager.uninstall(machines)) {
                LOG.info("removed the built-in manager {} (no --manage-machines)", MachinesManager.NAME);
            }
        } catch (IOException e) {
            throw new CommandException(ExitCodes.FAILURE, "cannot set up the built-in manager in " + machines + ": "
                    + e.getMessage(), e);
        }
    }

    private static void cancel(UntilSignalled signalled) {
        if (signalled != null) {
            signalled.cancel();
        }
    }

    /**
     * The NATS settings as {@code tend kv} resolves them, for a process that runs until stopped: it keeps
     * reconnecting to the servers rather than giving up.
     */
    private ConnectionOptions connection(String storeUrl) {
        if (!ConnectionSettings.isNats(storeUrl)) {
            return ConnectionOptions.defaults();
        }
        ConnectionOptions options = ConnectionSettings.resolve(env, nats, LOG::warn)
                .withReconnect(ConnectionOptions.Reconnect.FOREVER);
        // The store opens when a machine first uses it: a missing CA file or two kinds of credentials fail now.
        NatsConnections.check(storeUrl, options);
        return options;
    }

    private static ObserveListener startListener(ObserveListener listener) {
        try {
            listener.start();
            return listener;
        } catch (IOException e) {
            throw new CommandException(ExitCodes.FAILURE, e.getMessage(), e); // one line, naming the address
        }
    }

    private static ControlServer startControl(Path socket, Agent agent) {
        try {
            return ControlServer.start(socket, agent);
        } catch (IOException e) {
            throw new CommandException(ExitCodes.FAILURE, e.getMessage(), e); // one line, naming the socket
        }
    }
}
