package dev.tend.cli.fleet;

import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.HelpSubcommand;
import dev.tend.cli.store.StoreOptions;
import dev.tend.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code tend fleet}: shipping machines to a fleet through the store, for the operator. */
@Command(name = "fleet",
        mixinStandardHelpOptions = true,
        description = {"Ships machines to the nodes through the store: pack a machine, sign a specification of the "
                + "machines each node should run, publish it where the agents' manager (tend agent "
                + "--manage-machines) reads it."},
        subcommands = {HelpSubcommand.class, FleetKeygen.class, FleetPack.class, FleetPublish.class, FleetLs.class,
                FleetStatus.class})
public final class FleetCommand implements Callable<Integer> {

    private final FleetContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions storeOptions = new StoreOptions();

    public FleetCommand(FleetContext context) {
        this.context = context;
    }

    FleetContext context() {
        return context;
    }

    /** Opens the selected store, as {@code tend kv} does. The caller closes it. */
    KvStore open() {
        return storeOptions.open(context.env(), context.err());
    }

    /** {@code tend fleet} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
