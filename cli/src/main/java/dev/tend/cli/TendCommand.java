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

    /** Applied before the command runs ({@link Logging#fromCommandLine}); checked here. */
    @Option(names = Logging.LEVEL_OPTION, scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            completionCandidates = LogLevels.class,
            description = "Log from this level up to stderr: error, warn, info, debug or trace. Default: warn (the "
                    + "agent: info, or its config file's log.level).")
    void logLevel(String level) {
        check(Logging.LEVEL_OPTION, level, Logging.LEVELS);
    }

    @Option(names = Logging.FORMAT_OPTION, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            completionCandidates = LogFormats.class,
            description = "Log lines as text (time level [thread] logger: message fields) or json (one object per "
                    + "line with the same fields). Default: text (the agent: its config file's log.format).")
    void logFormat(String format) {
        check(Logging.FORMAT_OPTION, format, Logging.FORMATS);
    }

    private void check(String option, String value, java.util.List<String> allowed) {
        if (!allowed.contains(value.toLowerCase(java.util.Locale.ROOT))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " must be "
                    + String.join(", ", allowed) + ", not \"" + value + "\"");
        }
    }

    /** The levels, for completion. */
    static final class LogLevels implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Logging.LEVELS.iterator();
        }
    }

    /** The formats, for completion. */
    static final class LogFormats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Logging.FORMATS.iterator();
        }
    }

    /** {@code tend} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
