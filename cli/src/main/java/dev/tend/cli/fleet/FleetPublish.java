package dev.tend.cli.fleet;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.WatcherTypes;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SigningKey;
import dev.tend.fleet.spec.SpecException;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketExistsException;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.load.MachineLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tend fleet publish FILE --signing-key SEED}: builds the specification of the machines {@code FILE} lists
 * ({@link FleetList}), packing and uploading each {@code directory} entry as a value of the archives' bucket
 * ({@code kv://BUCKET/NAME-VERSION.tar.gz}), signs it and writes it where the agents' manager reads it. The archives
 * are written before the specification, so a node never reads a specification whose archives are not there yet.
 * {@code --dry-run} packs, prints the signed specification and writes nothing to the store.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Signs and publishes the specification of the machines FILE lists (YAML or JSON: name, "
                + "version, source with checksum and verify_checksum, or directory to pack and upload as "
                + "kv://BUCKET/NAME-VERSION.tar.gz; match, governor, username, password)."})
final class FleetPublish implements Callable<Integer> {

    /** The history kept by the buckets this command creates: the last few specifications and archives. */
    static final int HISTORY = 5;

    @ParentCommand
    FleetCommand parent;

    @Mixin
    SpecLocation location;

    @Mixin
    WatcherTypes watcherTypes;

    @Parameters(paramLabel = "FILE", description = "The list of machines, YAML or JSON.")
    Path file;

    @Option(names = "--signing-key", paramLabel = "SEED_FILE", required = true,
            description = "The private key's seed file (tend fleet keygen's " + FleetKeygen.SEED + ", or one made by "
                    + "Choria's tooling).")
    Path signingKey;

    @Option(names = "--archives-bucket", paramLabel = "BUCKET",
            description = "The bucket the packed directories are uploaded to. Default: the specification's bucket.")
    String archivesBucket;

    @Option(names = "--dry-run", description = "Pack and print the signed specification; write nothing to the store.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        FleetContext context = parent.context();
        List<FleetList.Item> list = FleetList.read(file);
        SigningKey key = signingKey();
        String archives = archivesBucket != null ? archivesBucket : location.bucket;
        Path work = Files.createTempDirectory("tend-fleet-");
        try {
            List<Upload> uploads = new ArrayList<>();
            List<PluginItem> items = items(list, archives, work, uploads, context.err());
            PluginSpec spec = PluginSpec.of(items).signedWith(key);
            if (dryRun) {
                for (Upload u : uploads) {
                    context.err().println("Would upload " + u.name() + " to kv://" + archives + "/" + u.key() + " ("
                            + Files.size(u.archive()) + " bytes)");
                }
                context.err().println("Would write the specification of " + items.size()
                        + (items.size() == 1 ? " machine" : " machines") + " to "
                        + location + ", signed by " + key.publicKey().hex());
                context.err().flush();
                context.out().println(spec.toJson());
                context.out().flush();
                return ExitCodes.OK;
            }
            try (KvStore store = parent.open()) {
                if (!uploads.isEmpty()) {
                    Bucket bucket = bucket(store, archives);
                    for (Upload u : uploads) {
                        byte[] bytes = Files.readAllBytes(u.archive());
                        Optional<Entry> there = current(bucket, u.key(), bytes);
                        String where = u.name() + " to kv://" + archives + "/" + u.key() + " (" + bytes.length
                                + " bytes, revision ";
                        if (there.isPresent()) {
                            context.out().println("Already uploaded " + where + there.get().revision() + ")");
                        } else {
                            context.out().println("Uploaded " + where + bucket.put(u.key(), bytes) + ")");
                        }
                    }
                }
                Bucket specs = bucket(store, location.bucket);
                byte[] json = spec.toJson().getBytes(StandardCharsets.UTF_8);
                Optional<Entry> there = current(specs, location.key, json);
                String what = "the specification of " + items.size() + (items.size() == 1 ? " machine" : " machines")
                        + " to " + location + " (revision ";
                if (there.isPresent()) {
                    context.out().println("Already published " + what + there.get().revision() + "), signed by "
                            + key.publicKey().hex());
                } else {
                    context.out().println("Published " + what + specs.put(location.key, json) + "), signed by "
                            + key.publicKey().hex());
                }
            }
            context.out().flush();
            return ExitCodes.OK;
        } finally {
            delete(work);
        }
    }

    /** An archive packed here, to upload under {@code key}. */
    private record Upload(String name, String key, Path archive) {
    }

    private List<PluginItem> items(List<FleetList.Item> list, String archives, Path work, List<Upload> uploads,
                                   PrintWriter err) {
        List<PluginItem> items = new ArrayList<>();
        MachinePacker packer = null;
        try (Plugins types = list.stream().anyMatch(i -> i.directory() != null)
                ? watcherTypes.load(AgentLocations.of(parent.context().env()).plugins(null).value()) : null) {
            for (FleetList.Item i : list) {
                String source = i.source();
                String checksum = i.checksum();
                String verifyChecksum = i.verifyChecksum();
                if (i.directory() != null) {
                    if (packer == null) {
                        packer = new MachinePacker(new MachineLoader(types.registry()));
                    }
                    MachineDefinition machine = validate(packer, i, err);
                    String version = i.version().isEmpty() ? machine.version() : i.version();
                    String key = ArchiveKeys.of(i.name(), version);
                    MachinePacker.Packed packed = packer.pack(i.directory(), i.name(), work.resolve(key));
                    uploads.add(new Upload(i.name(), key, packed.archive()));
                    source = "kv://" + archives + "/" + key;
                    checksum = packed.checksum();
                    verifyChecksum = packed.verifyChecksum();
                }
                items.add(new PluginItem(i.name(), source, i.username(), i.password(), verifyChecksum, checksum,
                        i.match(), i.governor()));
            }
        }
        return items;
    }

    /** The entry's machine, valid, named as the entry and of its version when the entry gives one. */
    private MachineDefinition validate(MachinePacker packer, FleetList.Item i, PrintWriter err) {
        String entry = file + ":" + i.line() + ": entry " + i.name() + ": ";
        MachineDefinition machine;
        try {
            machine = packer.validate(i.directory(), err);
        } catch (CommandException e) {
            throw new CommandException(e.exitCode(), entry + e.getMessage(), e);
        }
        if (!machine.name().equals(i.name())) {
            throw new CommandException(ExitCodes.USAGE, entry + "the machine in " + i.directory() + " is named "
                    + machine.name() + ": the entry's name must be the machine's (the archive unpacks to a directory "
                    + "of that name)");
        }
        if (!i.version().isEmpty() && !i.version().equals(machine.version())) {
            throw new CommandException(ExitCodes.USAGE, entry + "version " + i.version() + ", but the machine in "
                    + i.directory() + " is version " + machine.version());
        }
        return machine;
    }

    private SigningKey signingKey() {
        try {
            return SigningKey.readSeedFile(signingKey);
        } catch (SpecException e) {
            throw new CommandException(ExitCodes.USAGE, "--signing-key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandException(ExitCodes.USAGE, "--signing-key: cannot read " + signingKey + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
    }

    /**
     * The key's current entry when it holds exactly {@code value} (ed25519 signatures are deterministic, so publishing
     * the same list again writes nothing, and no node acts on a new revision).
     */
    private static Optional<Entry> current(Bucket bucket, String key, byte[] value) {
        return bucket.get(key).filter(e -> e.operation() == Operation.PUT && Arrays.equals(e.value(), value));
    }

    /** The bucket, created (keeping {@value #HISTORY} revisions of each key) when missing. */
    static Bucket bucket(KvStore store, String name) {
        if (!store.exists(name)) {
            try {
                return store.create(BucketConfig.builder(name).history(HISTORY).build());
            } catch (BucketExistsException raced) {
                // made meanwhile by another publisher
            }
        }
        return store.bucket(name);
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }
}
