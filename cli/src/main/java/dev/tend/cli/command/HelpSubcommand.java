package dev.tend.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code help [COMMAND...]}, a subcommand of {@code tend} and of every command group: the help of the command the
 * names lead to from the group, down any number of levels ({@code tend help kv put}, {@code tend kv help put}), the
 * same text as {@code tend kv put --help}; with no name, the group's own. An unknown name is a usage error, the
 * line {@code tend kv pt} gives ({@link UnknownCommand}).
 */
@Command(name = "help", helpCommand = true,
        description = "Shows the help of a command, as --help after it does.")
public final class HelpSubcommand implements IHelpCommandInitializable2, Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean helpRequested;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The command, and its subcommands, to show the help of.")
    List<String> commands;

    private CommandLine self;
    private ColorScheme colours;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colours = colorScheme;
        this.out = out;
    }

    @Override
    public Integer call() {
        CommandLine command = self.getParent();
        if (command == null) {
            return ExitCodes.OK;
        }
        if (commands != null) {
            for (String name : commands) {
                CommandLine sub = command.getSubcommands().get(name);
                if (sub == null) {
                    throw new ParameterException(command, UnknownCommand.message(command, name));
                }
                command = sub;
            }
        }
        command.usage(out, colours);
        out.flush();
        return command.getCommandSpec().exitCodeOnUsageHelp();
    }
}
