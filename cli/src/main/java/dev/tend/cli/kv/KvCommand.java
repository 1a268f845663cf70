package dev.tend.cli.kv;

import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.HelpSubcommand;
import dev.tend.cli.store.NatsFlags;
import dev.tend.cli.store.StoreLocator;
import dev.tend.cli.store.StoreModeSetting;
import dev.tend.cli.store.StoreOptions;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code tend kv}: the key-value store's commands. */
@Command(name = "kv",
        mixinStandardHelpOptions = true,
        description = "Key-value store: buckets of keys with per-key history and watches.")
public final class KvCommand implements Callable<Integer> {

    /**
     * The subcommands by name and alias, in the order help lists them. They are registered with picocli in code
     * rather than by annotation so that a run builds only the one it needs: reflecting over every command class
     * is most of picocli's start-up, and scripts call {@code tend kv get} in loops. In a class of its own so that
     * the fast path ({@link KvFastPath}), which makes a {@code KvCommand} without picocli, bootstraps none of these
     * method references.
     */
    private static final class Subcommands {
        static final Map<String, Supplier<Object>> ALL = subcommands();

        private static Map<String, Supplier<Object>> subcommands() {
            Map<String, Supplier<Object>> m = new LinkedHashMap<>();
            m.put("add", KvAdd::new);
            m.put("put", KvPut::new);
            m.put("create", KvCreate::new);
            m.put("update", KvUpdate::new);
            m.put("get", KvGet::new);
            m.put("del", KvDel::new);
            m.put("purge", KvPurge::new);
            m.put("rm", KvRm::new);
            m.put("history", KvHistory::new);
            m.put("watch", KvWatch::new);
            m.put("info", KvInfo::new);
            m.put("ls", KvLs::new);
            m.put("keys", KvKeys::new);
            m.put("compact", KvCompact::new);
            m.put("edit", KvEdit::new);
            m.put("backup", KvBackup::new);
            m.put("restore", KvRestore::new);
            m.put("check", KvCheck::new);
            return Collections.unmodifiableMap(m);
        }
    }

    static final Map<String, String> ALIASES = Map.of("status", "info", "list", "ls");

    /**
     * The {@code kv} command line for {@code args} (the whole command line): with only the subcommand that
     * {@code args} runs when that is plain ({@code tend [--debug] kv [--store URL] NAME ...}), else with all of
     * them (help, completion, a mistyped name).
     */
    public static CommandLine commandLine(KvContext context, String[] args) {
        CommandLine kv = new CommandLine(new KvCommand(context));
        kv.addSubcommand(new HelpSubcommand());
        String only = chosen(args);
        if (only != null) {
            kv.addSubcommand(Subcommands.ALL.get(only).get());
        } else {
            Subcommands.ALL.values().forEach(s -> kv.addSubcommand(s.get()));
        }
        return kv;
    }

    /** The canonical name of the kv subcommand {@code args} runs, or null when that needs the whole tree. */
    static String chosen(String[] args) {
        int i = 0;
        while (i < args.length && args[i].equals("--debug")) {
            i++;
        }
        if (i >= args.length || !args[i].equals("kv")) {
            return null;
        }
        i++;
        while (i < args.length && (args[i].equals("--debug") || args[i].startsWith("--store")
                || NatsFlags.NAMES.contains(args[i].split("=", 2)[0]))) {
            i += args[i].equals("--store") || args[i].equals(StoreModeSetting.OPTION)
                    || NatsFlags.NAMES.contains(args[i]) ? 2 : 1;
        }
        if (i >= args.length) {
            return null;
        }
        String name = ALIASES.getOrDefault(args[i], args[i]);
        return Subcommands.ALL.containsKey(name) ? name : null;
    }

    private final KvContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions storeOptions = new StoreOptions();

    public KvCommand(KvContext context) {
        this.context = context;
    }

    public KvContext context() {
        return context;
    }

    /** The store to use and where that choice came from. */
    public StoreLocator.Selection selection() {
        return storeOptions.selection(context.env());
    }

    /**
     * Opens the selected store: with the NATS connection settings when it is a nats:// one, else with the store
     * mode. The caller closes it.
     */
    public KvStore open() {
        return storeOptions.open(context.env(), context.err());
    }

    /** Who may read and write the files Tend creates: option, environment, config files. */
    public StoreMode storeMode() {
        return storeOptions.storeMode(context.env());
    }

    /** The NATS connection settings: flags, environment, config files. */
    ConnectionOptions connection() {
        return storeOptions.connection(context.env(), context.err());
    }

    /** {@code tend kv} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
