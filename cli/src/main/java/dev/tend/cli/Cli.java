package dev.tend.cli;

import dev.tend.cli.command.ErrorReport;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.command.LogControl;
import dev.tend.cli.fleet.FleetCommand;
import dev.tend.cli.fleet.FleetContext;
import dev.tend.cli.governor.GovernorCommand;
import dev.tend.cli.governor.GovernorContext;
import dev.tend.cli.kv.KvCommand;
import dev.tend.cli.kv.KvContext;
import dev.tend.cli.kv.KvGetRaw;
import dev.tend.cli.command.Prompter;
import dev.tend.cli.command.Suggestions;
import dev.tend.cli.command.UnknownCommand;
import dev.tend.cli.machine.MachineCommand;
import dev.tend.cli.store.StoreLocator;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs one {@code tend} command line: parses it with picocli, runs the command and turns every error into one
 * line on stderr, {@code tend: <message>}, and an exit status (see {@link ExitCodes}). A stack trace is shown only
 * with {@code --debug}.
 */
public final class Cli {

    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final List<Object> extraSubcommands;
    private final InputStream in;
    private final OutputStream binaryOut;
    private final Prompter prompter;
    private final boolean fastPaths;

    /**
     * A CLI that writes to the given streams and reads the given environment; bytes (a value read from stdin,
     * {@code get --raw}) go through {@link System#in} and {@link System#out}, confirmations through the console.
     */
    public Cli(PrintWriter out, PrintWriter err, Map<String, String> env) {
        this(out, err, env, List.of());
    }

    /** For tests: extra subcommands of {@code tend}, added before the CLI's settings are applied. */
    Cli(PrintWriter out, PrintWriter err, Map<String, String> env, List<Object> extraSubcommands) {
        this(System.in, System.out, out, err, env, Prompter.console(), extraSubcommands);
    }

    /**
     * A CLI on byte streams (text is UTF-8), with its own prompter: tests use it to feed standard input, capture
     * exact output bytes and answer confirmations.
     */
    public Cli(InputStream in, OutputStream out, OutputStream err, Map<String, String> env, Prompter prompter) {
        this(in, out, new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8)), env, prompter, List.of());
    }

    private Cli(InputStream in, OutputStream binaryOut, PrintWriter out, PrintWriter err, Map<String, String> env,
                Prompter prompter, List<Object> extraSubcommands) {
        this(in, binaryOut, out, err, env, prompter, extraSubcommands, true);
    }

    private Cli(InputStream in, OutputStream binaryOut, PrintWriter out, PrintWriter err, Map<String, String> env,
                Prompter prompter, List<Object> extraSubcommands, boolean fastPaths) {
        this.fastPaths = fastPaths;
        this.in = in;
        this.binaryOut = binaryOut;
        this.out = out;
        this.err = err;
        this.env = env;
        this.prompter = prompter;
        this.extraSubcommands = extraSubcommands;
    }

    /** For tests: this CLI with every command line read by picocli (no fast path), to compare the two. */
    public Cli withoutFastPaths() {
        return new Cli(in, binaryOut, out, err, env, prompter, extraSubcommands, false);
    }

    /** Runs the command line and returns its exit status. */
    public int execute(String... args) {
        return execute(null, args);
    }

    /** For the build's help texts ({@link HelpTexts}): runs with the given colours, or the usual ones when null. */
    int execute(Ansi colours, String... args) {
        boolean debug = wantsDebug(args);
        boolean logOptions = LogControl.fromCommandLine(args);
        if (debug) {
            LogControl.enableDebug();
            LoggerFactory.getLogger(Cli.class).debug("tend {} on Java {} ({})", VersionProvider.version(),
                    System.getProperty("java.version"), System.getProperty("java.vm.name"));
        }
        try {
            if (!debug && !logOptions && fastPaths) {
                KvGetRaw fast = KvGetRaw.parse(args);
                if (fast != null) {
                    return runFast(fast);
                }
                Callable<Integer> command = FastPath.parse(args, context());
                if (command != null) {
                    return FastPath.run(command, err);
                }
            }
            CommandLine cmd = commandLine(debug, args);
            if (colours != null) {
                cmd.setColorScheme(CommandLine.Help.defaultColorScheme(colours));
            }
            return cmd.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Runs the picocli-free {@code kv get --raw}, reporting errors exactly as the picocli path does. */
    private int runFast(KvGetRaw fast) {
        return fast.execute(new StoreLocator(env), out, binaryOut, err);
    }

    /** The whole command tree, for help and the completion script. */
    CommandLine commandLine(boolean debug) {
        return commandLine(debug, new String[0]);
    }

    /** The command tree {@code args} needs: only the subcommand it runs where that is plain (start-up time). */
    CommandLine commandLine(boolean debug, String[] args) {
        CommandLine cmd = new CommandLine(new TendCommand());
        cmd.addSubcommand(KvCommand.commandLine(context(), args));
        cmd.addSubcommand(MachineCommand.commandLine(env, args));
        cmd.addSubcommand(new dev.tend.cli.agent.AgentCommand(env));
        cmd.addSubcommand(new GovernorCommand(new GovernorContext(env, out, err, prompter)));
        cmd.addSubcommand(new FleetCommand(new FleetContext(env, out, err)));
        cmd.addSubcommand(new dev.tend.cli.config.ConfigCommand(env, args));
        for (Object sub : extraSubcommands) {
            cmd.addSubcommand(sub);
        }
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandGroups());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(ansi()));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, badArgs) -> {
            ErrorReport.line(err, usageMessage(ex), ex, debug);
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> ErrorReport.report(err, ex, debug));
        cmd.setExecutionStrategy(Cli::runLastOrRefuseUnmatched);
        return cmd;
    }

    /**
     * Runs the last command of the line, as picocli does, unless a word was left unmatched: picocli lets that pass when
     * help is asked for ({@code tend kv pt --help} would print kv's help), here it is the usage error it is without
     * {@code --help}, with its suggestions.
     */
    private static int runLastOrRefuseUnmatched(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult level = parseResult; level != null;
             level = level.hasSubcommand() ? level.subcommand() : null) {
            if (!level.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    private KvContext context() {
        return new KvContext(env, in, out, binaryOut, err, prompter);
    }

    /**
     * Picocli's message, starting in lower case like every other error, with its suggestions if any; a word where a
     * group expects one of its commands is {@link UnknownCommand}'s line, as {@code tend help} gives it.
     */
    private static String usageMessage(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                && UnknownCommand.applies(unmatched.getCommandLine(), unmatched.getUnmatched().get(0))) {
            return UnknownCommand.message(unmatched.getCommandLine(), unmatched.getUnmatched().get(0));
        }
        String message = ex.getMessage() == null ? "invalid command line" : ex.getMessage();
        if (message.length() > 1 && Character.isUpperCase(message.charAt(0))
                && Character.isLowerCase(message.charAt(1))) {
            message = message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
        }
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String typed = unmatched.getUnmatched().get(0).split("=", 2)[0];
            message += Suggestions.didYouMean(typed, names(unmatched.getCommandLine(), typed),
                    unmatched.getSuggestions());
        }
        return message;
    }

    /** What a mistyped word could have been meant as: an option's names for a word starting with -, else a command's. */
    private static java.util.Collection<String> names(CommandLine command, String typed) {
        if (command == null) {
            return List.of();
        }
        if (typed.startsWith("-")) {
            List<String> options = new java.util.ArrayList<>();
            command.getCommandSpec().options().forEach(o -> {
                if (!o.hidden()) {
                    options.addAll(List.of(o.names()));
                }
            });
            return options;
        }
        return command.getSubcommands().keySet();
    }

    /** Of the suggestions for a mistyped word, those as few edits away from it as the nearest one ({@link Suggestions}). */
    static List<String> closest(String typed, List<String> suggestions) {
        return Suggestions.of(typed, List.of(), suggestions);
    }

    /** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
    private Ansi ansi() {
        String noColor = env.get("NO_COLOR");
        return noColor != null && !noColor.isEmpty() ? Ansi.OFF : Ansi.AUTO;
    }

    /** True when {@code --debug} appears among the options (before a {@code --}). */
    static boolean wantsDebug(String... args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--debug")) {
                return true;
            }
        }
        return false;
    }
}
