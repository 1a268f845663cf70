package dev.tend.watchers.process;

import dev.tend.machine.spi.WatcherContext;
import dev.tend.watchers.noop.NoopNotice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command run as the reference runs nagios plugins and metric commands: in the machine directory with only
 * {@code MACHINE_WATCHER_NAME}, {@code MACHINE_NAME} and {@code PATH} (the agent's, then the machine directory), in a
 * session of its own, standard output and error captured together, every process it started ended when its timeout
 * expires or the watcher stops. Blocks for the whole run; nothing is thrown: what the run came to is its
 * {@link Result}, and what its exit status means is the caller's. In noop mode it stops once the executable is found
 * and trusted: the command line is logged ({@link NoopNotice}) and the result is {@link End#NOOP}.
 */
public final class PlainCommand {

    /**
     * How the commands of a watcher type run.
     *
     * @param setsid       util-linux {@code setsid}, or empty
     * @param agentPath    the agent's {@code PATH}; commands get it followed by the machine directory
     * @param timeoutGrace after a timeout's SIGTERM, how long before SIGKILL
     * @param stopGrace    after a stop's SIGTERM, how long before SIGKILL
     * @param outputDrain  after a command was ended, how long to wait for its output to close
     * @param outputBytes  how much of the output is kept: the last bytes
     * @param root         whether the agent runs as root (then command files are checked, {@link CommandTrust})
     */
    public record Settings(Optional<Path> setsid, String agentPath, Duration timeoutGrace, Duration stopGrace,
                           Duration outputDrain, int outputBytes, boolean root) {
    }

    /** What a run came to. */
    public enum End {
        /** It exited by itself: {@link Result#exitCode()} (null when unknown). */
        EXITED,
        /** Its timeout expired and its processes were ended. */
        TIMED_OUT,
        /** The watcher stopped meanwhile: nothing is to be reported. */
        STOPPED,
        /** It could not be run: {@link Result#reason()} says why. */
        NOT_RUN,
        /** Noop mode ({@code WatcherContext.noop()}): found and trusted, logged as what would have run, not run. */
        NOOP
    }

    /**
     * @param end      what the run came to
     * @param exitCode the exit status when it exited by itself (128 + n when killed by signal n), else null
     * @param output   standard output and error together (the last {@link Settings#outputBytes()} bytes)
     * @param reason   why it did not run, one line; empty otherwise
     */
    public record Result(End end, Integer exitCode, String output, String reason) {

        static Result notRun(String reason) {
            return new Result(End.NOT_RUN, null, "", reason);
        }
    }

    private final WatcherContext context;
    private final Settings settings;
    private final ChildSlot slot;

    /** @param slot the watcher's one running command, which its stop ends */
    public PlainCommand(WatcherContext context, Settings settings, ChildSlot slot) {
        this.context = context;
        this.settings = settings;
        this.slot = slot;
    }

    /**
     * A rendered command line split into words as a shell would, without running one.
     *
     * @param noun what the line is, for messages ({@code plugin}, {@code command})
     * @throws RunFailure when it cannot be split or has no words
     */
    public static List<String> words(String rendered, String noun) throws RunFailure {
        List<String> words;
        try {
            words = ShellWords.split(rendered);
        } catch (ShellWords.SyntaxException e) {
            throw new RunFailure("cannot split the " + noun + " " + MessageQuotes.quote(rendered) + ": "
                    + e.getMessage());
        }
        if (words.isEmpty()) {
            throw new RunFailure("the " + noun + " " + MessageQuotes.quote(rendered) + " has no words to run");
        }
        return words;
    }

    /** A command's {@code PATH}: the agent's, then the machine directory. */
    public static String childPath(String agentPath, Path machineDirectory) {
        return agentPath.isEmpty() ? machineDirectory.toString() : agentPath + ":" + machineDirectory;
    }

    /** Runs {@code words} (the first is found as {@link CommandResolver} says) with this timeout. Blocks. */
    public Result run(List<String> words, Duration timeout) {
        Path directory = context.machineDirectory();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MACHINE_WATCHER_NAME", context.definition().name());
        environment.put("MACHINE_NAME", context.machineName());
        environment.put("PATH", childPath(settings.agentPath(), directory));
        try {
            List<String> command = new ArrayList<>(words);
            Path executable = CommandResolver.resolve(command.get(0), environment.get("PATH"), directory);
            Optional<String> untrusted = CommandTrust.problem(executable, directory, settings.root());
            if (untrusted.isPresent()) {
                return Result.notRun(untrusted.get());
            }
            command.set(0, executable.toString());
            if (context.noop()) {
                NoopNotice.wouldRun(context, command);
                return new Result(End.NOOP, null, "", "");
            }
            ChildProcess.Launch launch = new ChildProcess.Launch(command, directory, environment, settings.setsid(),
                    false, false, settings.outputBytes(), 0);
            ChildProcess child = slot.start(() -> ChildProcess.start(launch, context.blockingExecutor()));
            if (child == null) {
                return new Result(End.STOPPED, null, "", "");
            }
            try {
                ChildProcess.Ending ending = new TimedWait(timeout, context.scheduler(), context.blockingExecutor(),
                        settings.timeoutGrace(), settings.stopGrace(), settings.outputDrain(), context.logger())
                        .await(child);
                End end = ending.cut() == ChildProcess.Cut.STOP ? End.STOPPED
                        : ending.cut() == ChildProcess.Cut.TIMEOUT ? End.TIMED_OUT : End.EXITED;
                return new Result(end, end == End.EXITED ? ending.exitCode() : null, child.output(), "");
            } finally {
                slot.release(child);
            }
        } catch (RunFailure f) {
            return Result.notRun(f.getMessage());
        }
    }
}
