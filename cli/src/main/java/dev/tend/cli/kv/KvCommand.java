package dev.tend.cli.kv;

import dev.tend.cli.ExitCodes;
import dev.tend.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code tend kv}: the key-value store's commands. */
@Command(name = "kv",
        mixinStandardHelpOptions = true,
        description = "Key-value store: buckets of keys with per-key history and watches.",
        subcommands = {KvAdd.class, KvPut.class, KvCreate.class, KvUpdate.class, KvGet.class, KvDel.class,
                KvPurge.class, KvRm.class, KvHistory.class, KvWatch.class, KvInfo.class, KvLs.class, KvKeys.class,
                KvCompact.class, KvEdit.class, KvBackup.class, KvRestore.class, KvCheck.class})
public final class KvCommand implements Callable<Integer> {

    private final KvContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The store: file:///path (or a path) or nats://host:4222. Default: TEND_STORE, the config "
                    + "file's store:, /var/lib/tend/kv when accessible, else ~/.local/share/tend/kv.")
    String store;

    public KvCommand(KvContext context) {
        this.context = context;
    }

    public KvContext context() {
        return context;
    }

    /** The store to use and where that choice came from. */
    public StoreLocator.Selection selection() {
        return new StoreLocator(context.env()).select(store);
    }

    /** Opens the selected store; the caller closes it. */
    public KvStore open() {
        return KvStore.open(selection().url());
    }

    /** {@code tend kv} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
