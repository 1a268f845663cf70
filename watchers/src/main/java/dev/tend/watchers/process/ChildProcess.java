package dev.tend.watchers.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One started command: its process (the leader of a session of its own), the pumps that capture its output, and the two
 * ways Tend ends it early, a timeout and a stop. A disowned command is only watched: its output goes nowhere, and a stop
 * lets it go instead of ending it.
 */
public final class ChildProcess {

    /** Why Tend ended (or, for a disowned command, stopped waiting for) the command. */
    public enum Cut { TIMEOUT, STOP }

    /**
     * What to start.
     *
     * @param command     the resolved executable, then the other words
     * @param directory   the working directory
     * @param environment the whole environment
     * @param setsid      util-linux {@code setsid}, when there is one
     * @param disown      not captured, not ended on stop
     * @param splitStdout stdout apart from stderr (for {@code parse_as_data}); otherwise one combined stream
     * @param tailBytes   how much of the (combined, or stderr) output is kept: the last bytes
     * @param stdoutBytes how much of a split stdout is kept: the first bytes
     */
    public record Launch(List<String> command, Path directory, Map<String, String> environment, Optional<Path> setsid,
                         boolean disown, boolean splitStdout, int tailBytes, int stdoutBytes) {
        public Launch {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    /**
     * How a command ended.
     *
     * @param cut            why Tend ended it, or null when it exited by itself
     * @param exitCode       its exit status when it exited (128 + n when killed by signal n), else null
     * @param outputComplete its output closed (false: a process it left running still holds it open)
     */
    public record Ending(Cut cut, Integer exitCode, boolean outputComplete) {
    }

    private static final File NULL_FILE = new File("/dev/null");

    private final Process process;
    private final ProcessTree tree;
    private final boolean disowned;
    private final OutputTail tail;
    private final OutputHead stdout;
    private final CompletableFuture<Void> output;
    /** Completed when a timeout or stop has ended every process of the command, or a disowned one was let go. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Guards {@link #cut}, which the timeout's thread, the stop's and the run's own (when interrupted) may each set. */
    private final Object cutLock = new Object();
    private Cut cut;

    private ChildProcess(Process process, boolean disowned, OutputTail tail, OutputHead stdout,
                         CompletableFuture<Void> output) {
        this.process = process;
        this.tree = new ProcessTree(process.toHandle());
        this.disowned = disowned;
        this.tail = tail;
        this.stdout = stdout;
        this.output = output;
    }

    /**
     * Starts the command in a session of its own, stdin from {@code /dev/null}.
     *
     * @param pumps runs the output pumps (blocking reads)
     * @throws RunFailure when it cannot be started
     */
    public static ChildProcess start(Launch launch, Executor pumps) throws RunFailure {
        List<String> argv = new ArrayList<>();
        launch.setsid().ifPresent(setsid -> {
            argv.add(setsid.toString());
            argv.add("--wait"); // should setsid have to fork (it never does under Java), it still reports the exit status
            argv.add("--");
        });
        argv.addAll(launch.command());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(launch.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NULL_FILE));
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(launch.environment());
        if (launch.disown()) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        } else if (!launch.splitStdout()) {
            builder.redirectErrorStream(true);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException | IllegalArgumentException e) {
            throw new RunFailure("cannot start " + launch.command().get(0) + ": " + e.getMessage());
        }
        OutputTail tail = new OutputTail(launch.tailBytes());
        OutputHead stdout = launch.splitStdout() ? new OutputHead(launch.stdoutBytes()) : null;
        try {
            CompletableFuture<Void> output;
            if (launch.disown()) {
                output = CompletableFuture.completedFuture(null);
            } else if (stdout != null) {
                output = CompletableFuture.allOf(OutputPump.start(process.getInputStream(), stdout, pumps),
                        OutputPump.start(process.getErrorStream(), tail, pumps));
            } else {
                output = OutputPump.start(process.getInputStream(), tail, pumps);
            }
            return new ChildProcess(process, launch.disown(), tail, stdout, output);
        } catch (RejectedExecutionException e) {
            new ProcessTree(process.toHandle()).terminate(Duration.ZERO);
            throw new RunFailure("cannot capture the output of " + launch.command().get(0)
                    + ": the agent is shutting down");
        }
    }

    public boolean isDisowned() {
        return disowned;
    }

    /** Completes when the command's own process exited (its descendants may live on). */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /**
     * Waits until the command's own process exited, then up to {@code drain} for its output to close (a process it
     * left running may hold it open: the run does not wait for that one). After a timeout or stop, waits until every
     * process of the command is gone. For a disowned command: until it exited or was let go. An interrupt ends the
     * command at once.
     */
    public Ending await(Duration drain) {
        try {
            CompletableFuture.anyOf(process.onExit(), ended).get();
            Cut why = cut();
            if (why == null) {
                return new Ending(null, process.exitValue(), disowned || drained(drain));
            }
            if (disowned) {
                return new Ending(why, null, false);
            }
            ended.get();
            return new Ending(why, exitCode(), drained(drain));
        } catch (InterruptedException e) {
            if (!disowned) {
                markCut(Cut.STOP);
                tree.terminate(Duration.ZERO);
            }
            Thread.currentThread().interrupt();
            return new Ending(Cut.STOP, exitCode(), false);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for a process cannot fail", e);
        }
    }

    private boolean drained(Duration drain) throws InterruptedException, ExecutionException {
        try {
            output.get(drain.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * The timeout expired: ends every process of the command (SIGTERM, then SIGKILL after {@code grace}). Blocks. Does
     * nothing when the command has exited meanwhile: what it left running is no longer the run's.
     */
    public List<Long> timeOut(Duration grace) {
        if (disowned || !markCut(Cut.TIMEOUT)) {
            return List.of();
        }
        return terminate(grace);
    }

    /**
     * The watcher stops: ends every process of the command as {@link #timeOut} does and returns when they are gone, or,
     * for a disowned command, stops waiting for it and leaves it running. A command that has exited (its output may
     * still be draining) is left as it is.
     */
    public List<Long> stop(Duration grace) {
        if (disowned) {
            markCut(Cut.STOP);
            ended.complete(null);
            return List.of();
        }
        if (!markCut(Cut.STOP) && cut() == null) {
            return List.of();
        }
        return terminate(grace); // also when a timeout is ending it already: stop returns when all are gone
    }

    /** The captured output for logs: the combined output, or stdout's start and stderr's end when they are apart. */
    public String output() {
        if (stdout == null) {
            return tail.text();
        }
        String err = tail.text();
        String out = new String(stdout.bytes(), StandardCharsets.UTF_8);
        return err.isEmpty() ? out : out + (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + "[stderr] " + err;
    }

    /** The captured stdout when it is apart (for {@code parse_as_data}). */
    public OutputHead stdout() {
        return stdout;
    }

    private List<Long> terminate(Duration grace) {
        try {
            return tree.terminate(grace);
        } finally {
            ended.complete(null);
        }
    }

    /** @return whether this was the first cut (a command that already exited by itself is not cut) */
    private boolean markCut(Cut why) {
        synchronized (cutLock) {
            if (cut != null || !disowned && !process.isAlive()) {
                return false;
            }
            cut = why;
            return true;
        }
    }

    private Cut cut() {
        synchronized (cutLock) {
            return cut;
        }
    }

    private Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }
}
