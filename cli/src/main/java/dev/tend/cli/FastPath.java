package dev.tend.cli;

import dev.tend.cli.agent.AgentFastPath;
import dev.tend.cli.command.ErrorReport;
import dev.tend.cli.kv.KvContext;
import dev.tend.cli.kv.KvFastPath;
import dev.tend.cli.machine.MachineFastPath;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The short commands served without picocli, whose start-up (building its model of the commands by reflection) costs
 * several times the command itself: {@code tend --version}, the help texts rendered by picocli at build time
 * ({@link HelpFastPath}), the plain shapes of the short {@code kv} commands
 * ({@link KvFastPath}), of {@code machine list}, {@code info} and {@code transition} ({@link MachineFastPath}), and
 * {@code tend agent} ({@link AgentFastPath}: a process that stays would hold picocli's model for good).
 * Each makes the command object picocli would make and runs it the same way; failures are reported as picocli's
 * path reports them ({@link ErrorReport}). Every other command line, and any with {@code --debug}, goes to picocli.
 * This class loads no picocli class.
 */
final class FastPath {

    private FastPath() {
    }

    /** The command {@code args} runs, ready to call, or null when picocli must read them. */
    static Callable<Integer> parse(String[] args, KvContext context) {
        Callable<Integer> help = HelpFastPath.parse(args, context.env(), context.out(), context.err());
        if (help != null || args.length == 0) {
            return help;
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return new Version(context.out());
        }
        if (args[0].equals("kv")) {
            return KvFastPath.parse(args, context);
        }
        if (args[0].equals("machine")) {
            return MachineFastPath.parse(args, context.env(), context.out());
        }
        if (args[0].equals("agent")) {
            return AgentFastPath.parse(args, context.env());
        }
        return null;
    }

    /** {@code tend --version}: as picocli prints the version provider's line. A class, not a lambda: no bootstrap. */
    private static final class Version implements Callable<Integer> {
        private final PrintWriter out;

        Version(PrintWriter out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            out.println("tend " + VersionProvider.version());
            out.flush();
            return 0;
        }
    }

    /** Runs the command as picocli would; returns the exit status. */
    static int run(Callable<Integer> command, PrintWriter err) {
        try {
            return command.call();
        } catch (Exception e) {
            return ErrorReport.report(err, e, false);
        }
    }
}
