package dev.tend.cli;

import dev.tend.cli.command.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The top command, {@code tend}. Its subcommands are the command groups. */
@Command(name = "tend",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The command line of Tend, a key-value store with per-key history and watches.",
        subcommands = {HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:success",
                "1:not found (an unknown key or bucket)",
                "2:usage or validation error",
                "3:any other failure"})
public final class TendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Log debug messages to stderr and show the stack trace of an error.")
    boolean debug;

    /** {@code tend} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
