package dev.tend.cli;

import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.HelpSubcommand;
import dev.tend.cli.command.LogControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The top command, {@code tend}. Its subcommands are the command groups. */
@Command(name = "tend",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"The command line of Tend. Tend keeps a key-value store (per-key history, watches, TTLs; "
                + "embedded in a directory on the node, or on NATS JetStream) and runs autonomous agents: finite "
                + "state machines declared in machine.yaml files, whose watchers (exec, kv, schedule, file, nagios, "
                + "...) fire their transitions. tend agent runs every machine of a directory; tend machine checks "
                + "and drives them; tend fleet ships them to many nodes through the store.",
                "%nRun tend help COMMAND... (or COMMAND... --help) for a command's own help: tend help kv put."},
        commandListHeading = "%nCommands:%n",
        subcommands = {HelpSubcommand.class},
        exitCodeListHeading = "%nExit status:%n",
        footerHeading = "%nLogging (any command):%n",
        footer = {"  --log-level=LEVEL    error, warn (default), info (the agent's default), debug or trace",
                "  --log-format=FORMAT  text (default) or json: one object per line"},
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

    /**
     * Applied before the command runs ({@link LogControl#fromCommandLine}); checked here. Hidden, as every command has
     * them and the usage of each would list them; the top command's footer names them.
     */
    @Option(names = LogControl.LEVEL_OPTION, scope = ScopeType.INHERIT, paramLabel = "LEVEL", hidden = true,
            completionCandidates = LogLevels.class,
            description = "Log from this level up to stderr: error, warn, info, debug or trace. Default: warn (the "
                    + "agent: info, or its config file's log.level).")
    void logLevel(String level) {
        check(LogControl.LEVEL_OPTION, level, LogControl.LEVELS);
    }

    @Option(names = LogControl.FORMAT_OPTION, scope = ScopeType.INHERIT, paramLabel = "FORMAT", hidden = true,
            completionCandidates = LogFormats.class,
            description = "Log lines as text (time level [thread] logger: message fields) or json (one object per "
                    + "line with the same fields). Default: text (the agent: its config file's log.format).")
    void logFormat(String format) {
        check(LogControl.FORMAT_OPTION, format, LogControl.FORMATS);
    }

    private void check(String option, String value, List<String> allowed) {
        if (!allowed.contains(value.toLowerCase(Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), option + " must be "
                    + String.join(", ", allowed) + ", not \"" + value + "\"");
        }
    }

    /** The levels, for completion. */
    static final class LogLevels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return LogControl.LEVELS.iterator();
        }
    }

    /** The formats, for completion. */
    static final class LogFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return LogControl.FORMATS.iterator();
        }
    }

    /** {@code tend} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
