package dev.tend.cli.governor;

import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.store.ConnectionSettings;
import dev.tend.cli.store.NatsFlags;
import dev.tend.cli.store.StoreLocator;
import dev.tend.cli.store.StoreModeSetting;
import dev.tend.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code tend governor}: the concurrency governors' commands, on the store {@code tend kv} uses. */
@Command(name = "governor",
        aliases = "gov",
        mixinStandardHelpOptions = true,
        description = {"Concurrency governors: named limits on how many processes run something at once, on one"
                + " node or on every node sharing the store.",
                "A governor has a capacity (its slots) and a hold time: a slot held longer is taken over by the next"
                + " claimant, so a holder that was killed frees its slot after the hold time."},
        subcommands = {GovernorAdd.class, GovernorLs.class, GovernorView.class, GovernorEvict.class,
                GovernorRm.class, GovernorRun.class})
public final class GovernorCommand implements Callable<Integer> {

    private final GovernorContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--store", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The store: file:///path (or a path) or nats://host:4222. Default: TEND_STORE, the config "
                    + "file's store:, /var/lib/tend/kv when accessible, else ~/.local/share/tend/kv.")
    String store;

    @Option(names = StoreModeSetting.OPTION, paramLabel = "owner|group", scope = ScopeType.INHERIT,
            description = "Who may read and write the embedded store's files Tend creates: owner (0600, directories "
                    + "0700) or group (0660, 2770). Default: TEND_STORE_MODE, the config file's store_mode:, owner.")
    String storeMode;

    @Mixin
    NatsFlags nats = NatsFlags.none();

    public GovernorCommand(GovernorContext context) {
        this.context = context;
    }

    GovernorContext context() {
        return context;
    }

    /** Opens the selected store, as {@code tend kv} does. The caller closes it. */
    KvStore open() {
        String url = new StoreLocator(context.env()).select(store).url();
        if (ConnectionSettings.isNats(url)) {
            return KvStore.builder().url(url).connection(ConnectionSettings.resolve(context.env(), nats, w -> {
                context.err().println("tend: " + w);
                context.err().flush();
            })).build();
        }
        return KvStore.builder().url(url).storeMode(StoreModeSetting.resolve(storeMode, context.env(),
                new StoreLocator(context.env()).configFiles())).build();
    }

    /** {@code tend governor} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
