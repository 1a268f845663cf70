package dev.tend.cli.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.cli.command.Closer;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.UntilSignalled;
import dev.tend.cli.output.TimeFormat;
import dev.tend.cli.store.ConnectionSettings;
import dev.tend.cli.store.NatsFlags;
import dev.tend.cli.store.StoreLocator;
import dev.tend.cli.store.StoreModeSetting;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreMode;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.Problem;
import dev.tend.machine.agent.AgentException;
import dev.tend.machine.agent.AgentPaths;
import dev.tend.machine.agent.DuplicateMachineException;
import dev.tend.machine.agent.LazyStore;
import dev.tend.machine.agent.MachineGroup;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.data.FactsFile;
import dev.tend.machine.data.FileMachineData;
import dev.tend.machine.data.SavedState;
import dev.tend.machine.data.StateFile;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.input.BoundedFile;
import dev.tend.machine.input.FileTooLargeException;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.spi.MachineDataException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tend machine run DIR...}: runs exactly these machines in the foreground, as the reference's
 * {@code choria machine run}: identity {@code cli} unless {@code --identity}, every event printed on stdout as
 * {@code HH:MM:SS <one-line form>}, foreign states and subscriptions among the machines given, {@code --data} put into
 * each machine's data before it starts. If any machine does not load, every problem is printed and nothing starts
 * (exit 2 when a machine is invalid, 1 when a directory holds no machine.yaml). Runs until SIGINT or SIGTERM, then stops the machines and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs these machines in the foreground, printing their events, until stopped (Ctrl-C).")
final class MachineRun implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Machine directories (each with a machine.yaml).")
    List<Path> directories;

    @Option(names = "--facts", paramLabel = "FILE", description = "The node's facts, a JSON or YAML file.")
    Path facts;

    @Option(names = "--overrides", paramLabel = "FILE",
            description = "Choria Scout's overrides, a JSON or YAML file with an object per machine name: templates' "
                    + "{{ o \"path\" default }} read the machine's own (nagios thresholds), goss gets the file as "
                    + "its variables. Read again when it changes.")
    Path overrides;

    @Option(names = "--data", paramLabel = "FILE", description = "A JSON object put into each machine's data first.")
    Path data;

    @Option(names = "--store", paramLabel = "URL",
            description = "The KV store, as for tend kv (opened when a machine first uses it).")
    String store;

    @Option(names = StoreModeSetting.OPTION, paramLabel = "owner|group",
            description = "Who may read and write the embedded store's files it creates, as for tend kv.")
    String storeMode;

    @Mixin
    NatsFlags nats = NatsFlags.none();

    @Option(names = "--identity", paramLabel = "NAME", description = "The node identity. Default: cli.")
    String identity;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Where machine data is kept. Default: TEND_STATE, the config file's state:, /var/lib/tend "
                    + "as root, else ~/.local/state/tend.")
    Path state;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Watcher plugin jars. Default: TEND_PLUGINS, the config file's plugins:, "
                    + "/usr/lib/tend/plugins as root, else ~/.local/share/tend/plugins.")
    Path plugins;

    MachineRun(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (identity != null && identity.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "--identity needs a name");
        }
        AgentPaths paths = AgentLocations.of(env).paths(null, state, null, plugins);
        Map<String, Object> initialData = data == null ? Map.of() : readData(data);
        StoreLocator stores = new StoreLocator(env);
        String storeUrl = stores.select(store).url();
        StoreMode mode = ConnectionSettings.isNats(storeUrl) ? StoreMode.OWNER
                : StoreModeSetting.resolve(storeMode, env, stores.configFiles());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Closer closer = new Closer();
        UntilSignalled signalled = null;
        try {
            Plugins loaded = closer.add(loadPlugins(paths.plugins()));
            List<MachineDefinition> definitions = load(new MachineLoader(loaded.registry()), err);
            for (MachineDefinition d : definitions) {
                putData(paths.state(), d, initialData);
            }
            ConnectionOptions connection = ConnectionSettings.isNats(storeUrl)
                    ? ConnectionSettings.resolve(env, nats, w -> err.println("tend: " + w))
                    : ConnectionOptions.defaults();
            LazyStore lazyStore = closer.add(new LazyStore(
                    () -> KvStore.builder().url(storeUrl).connection(connection).storeMode(mode).build()));
            TimeFormat times = TimeFormat.from(env);
            MachineGroup group = closer.add(MachineGroup.create(MachineSettings.builder()
                    .identity(identity != null ? identity : "cli")
                    .watchers(loaded.registry())
                    .stateDirectory(paths.state())
                    .store(lazyStore)
                    .facts(FactsFile.of(facts))
                    .overrides(overrides == null ? null : overrides.toAbsolutePath(),
                            FactsFile.of(overrides == null ? null : overrides.toAbsolutePath(), "overrides"))
                    .events(event -> print(out, times, event))
                    .build(), "tend-run"));
            List<Machine> machines = new ArrayList<>();
            for (MachineDefinition d : definitions) {
                machines.add(group.add(d));
            }
            // Before the start: a signal once the machines run must stop them the usual way.
            signalled = UntilSignalled.install("run", () -> {
                closer.close();
                out.flush();
            });
            machines.forEach(Machine::start);
        } catch (DuplicateMachineException e) {
            cancel(signalled);
            closer.close();
            throw new CommandException(ExitCodes.NOT_FOUND, e.getMessage(), e); // checked before; cannot happen
        } catch (RuntimeException | Error e) {
            cancel(signalled);
            closer.close();
            throw e;
        }
        signalled.await();
        return ExitCodes.OK; // not reached: the process ends in the shutdown hook
    }

    private static void cancel(UntilSignalled signalled) {
        if (signalled != null) {
            signalled.cancel();
        }
    }

    /** Every machine, or every problem of every machine on stderr and exit 2 (1 when each is only missing). */
    private List<MachineDefinition> load(MachineLoader loader, PrintWriter err) {
        List<MachineDefinition> definitions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, MachineDefinition> byName = new LinkedHashMap<>();
        int failed = 0;
        boolean invalid = false;
        for (Path dir : directories) {
            try {
                MachineDefinition d = loader.load(dir);
                MachineDefinition other = byName.putIfAbsent(d.name(), d);
                if (other != null) {
                    problems.add(new DuplicateMachineException(d, other).getMessage());
                    failed++;
                    invalid = true;
                } else {
                    definitions.add(d);
                }
            } catch (MachineLoadException e) {
                e.problems().stream().map(Problem::toString).forEach(problems::add);
                failed++;
                invalid |= !MachineValidate.missing(dir);
            }
        }
        if (failed > 0) {
            problems.forEach(err::println);
            err.flush();
            throw new CommandException(invalid ? ExitCodes.USAGE : ExitCodes.NOT_FOUND, failed + " of " + directories.size() + " machine"
                    + (directories.size() == 1 ? "" : "s") + " did not load; nothing was started");
        }
        return definitions;
    }

    private static Plugins loadPlugins(Path dir) {
        try {
            return Plugins.load(dir, MachineRun.class.getClassLoader());
        } catch (AgentException e) {
            throw new CommandException(ExitCodes.FAILURE, e.getMessage(), e);
        }
    }

    /** The {@code --data} file's object. */
    static Map<String, Object> readData(Path file) {
        byte[] bytes;
        try {
            bytes = BoundedFile.read(file, FileMachineData.LIMIT);
        } catch (NoSuchFileException e) {
            throw new CommandException(ExitCodes.USAGE, "--data " + file + ": no such file");
        } catch (FileTooLargeException e) {
            throw new CommandException(ExitCodes.USAGE, "--data " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CommandException(ExitCodes.USAGE, "--data " + file + ": cannot read: " + e.getMessage());
        }
        Object value;
        try {
            value = new ObjectMapper().readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            throw new CommandException(ExitCodes.USAGE, "--data " + file + " is not JSON: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new CommandException(ExitCodes.USAGE, "--data " + file + ": cannot read: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new CommandException(ExitCodes.USAGE, "--data " + file + " must hold a JSON object, e.g. "
                    + "{\"key\": \"value\"}");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    /** Writes {@code values} into the machine's persisted data, where the engine reads it when the machine starts. */
    private static void putData(Path stateDirectory, MachineDefinition d, Map<String, Object> values) {
        if (values.isEmpty()) {
            return;
        }
        Path file = stateDirectory.resolve("machines").resolve(d.name()).resolve("machine_data.json");
        try {
            // A machine that resumes its state takes its data from its saved state: the values go there too.
            StateFile stateFile = StateFile.beside(file);
            Optional<SavedState> saved = Files.exists(stateFile.file()) ? stateFile.read() : Optional.empty();
            FileMachineData machineData = saved.isEmpty()
                    ? FileMachineData.open(file, d.directory().resolve("machine_data.json"))
                    : FileMachineData.open(file, d.directory().resolve("machine_data.json"), saved.get().data(),
                            data -> saveData(stateFile, saved.get(), data));
            values.forEach(machineData::put);
        } catch (MachineDataException e) {
            throw new CommandException(ExitCodes.FAILURE, "cannot put --data into machine " + d.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void saveData(StateFile file, SavedState saved, Map<String, Object> data) {
        try {
            file.write(new SavedState(saved.state(), saved.definitionSha256(), saved.entered(), saved.saved(), data));
        } catch (java.io.IOException e) {
            throw new MachineDataException("cannot write " + file.file() + ": " + e.getMessage(), e);
        }
    }

    private static void print(PrintWriter out, TimeFormat times, MachineEvent event) {
        // TimeFormat knows TZ; its watch form is "yyyy-MM-dd HH:mm:ss", of which the time is wanted here.
        String line = times.watch(event.time()).substring(11) + " " + event;
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
