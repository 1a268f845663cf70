package dev.tend.cli.governor;

import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.HelpSubcommand;
import dev.tend.cli.store.StoreOptions;
import dev.tend.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
        subcommands = {HelpSubcommand.class, GovernorAdd.class, GovernorLs.class, GovernorView.class, GovernorEvict.class,
                GovernorRm.class, GovernorRun.class})
public final class GovernorCommand implements Callable<Integer> {

    private final GovernorContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions storeOptions = new StoreOptions();

    public GovernorCommand(GovernorContext context) {
        this.context = context;
    }

    GovernorContext context() {
        return context;
    }

    /** Opens the selected store, as {@code tend kv} does. The caller closes it. */
    KvStore open() {
        return storeOptions.open(context.env(), context.err());
    }

    /** {@code tend governor} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
