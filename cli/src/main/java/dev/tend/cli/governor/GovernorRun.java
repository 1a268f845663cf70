package dev.tend.cli.governor;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.DurationConverter;
import dev.tend.governor.Governor;
import dev.tend.governor.GovernorTimeoutException;
import dev.tend.governor.Governors;
import dev.tend.governor.Lease;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.machine.NodeIdentity;
import dev.tend.units.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code tend governor run NAME [--max-wait DUR] -- COMMAND...}: waits for a slot, runs the command (no shell, its
 * standard streams tend's), releases the slot when it ends and exits with its status. SIGTERM or SIGINT of tend give up
 * the wait, or end the command (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and release the slot.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a command once a slot of the governor is free, and releases the slot when it ends.",
                "Exits with the command's status; 1 when no slot came free within --max-wait; 126 or 127 when the"
                + " command cannot be started. Put -- before a command that has options of its own."})
final class GovernorRun extends GovernorSubcommand {

    /** How long a command told to stop (SIGTERM) gets before SIGKILL, when tend itself is told to stop. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** The longest holder description stored in a slot. */
    static final int MAX_HOLDER = 256;

    @Parameters(index = "0", paramLabel = "NAME", description = "The governor.")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND",
            description = "The command and its arguments, run without a shell.")
    List<String> command;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5m", description = "How long to wait for a slot. Default: ${DEFAULT-VALUE}.")
    Duration maxWait;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "2s", description = "How often to look for a free slot when no release was seen (a release"
                    + " wakes the wait at once). Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        if (maxWait.isNegative()) {
            throw new InvalidInputException("--max-wait must not be negative, not " + Durations.format(maxWait));
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new InvalidInputException("--interval must be at least 100ms, not " + Durations.format(interval));
        }
        KvStore store = openStore();
        RunState state = new RunState();
        Thread hook = new Thread(state::stop, "tend-governor-run-shutdown");
        try {
            Governor governor = Governors.builder(store).pollInterval(interval).build().governor(name);
            Runtime.getRuntime().addShutdownHook(hook);
            Lease lease;
            try {
                lease = governor.enter(holder(), maxWait, state.cancel);
            } catch (GovernorTimeoutException e) {
                throw new CommandException(1, e.getMessage());
            } catch (CancellationException e) {
                state.entered(null);
                return 1; // tend is stopping: the hook ends the process
            }
            if (!state.entered(lease)) {
                return 1; // the hook releases the lease
            }
            return runAndRelease(state, lease);
        } finally {
            if (state.mainEnds()) {
                removeHook(hook);
                store.close();
            } // else the hook is ending tend: it releases the slot through the store, which stays open
        }
    }

    private int runAndRelease(RunState state, Lease lease) throws InterruptedException {
        out().flush();
        Process process;
        try {
            process = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            lease.close();
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            boolean missing = reason.contains("error=2,");
            throw new CommandException(missing ? 127 : 126, "cannot run " + command.get(0) + ": "
                    + (reason.contains(", ") ? reason.substring(reason.lastIndexOf(", ") + 2) : reason));
        }
        if (!state.started(process)) {
            return 1; // the hook ends it and releases the lease
        }
        int status = process.waitFor();
        if (state.mainEnds()) {
            // The command's status is the answer: a slot that cannot be given back expires after the hold time.
            try {
                if (!lease.release()) {
                    warn("slot " + lease.slot() + " of governor " + name + " was no longer ours when the command"
                            + " ended (held longer than the hold time and taken over, or evicted)");
                }
            } catch (KvException e) {
                warn("cannot give back slot " + lease.slot() + " of governor " + name + " (it expires after the"
                        + " hold time): " + e.getMessage());
            }
        }
        return status;
    }

    private void warn(String message) {
        parent.context().err().println("tend: warning: " + message);
        parent.context().err().flush();
    }

    /** Who holds the slot, as {@code tend governor view} shows it: host, process and command. */
    private String holder() {
        String holder = NodeIdentity.hostName() + " pid " + ProcessHandle.current().pid() + ": "
                + String.join(" ", command);
        return holder.length() <= MAX_HOLDER ? holder : holder.substring(0, MAX_HOLDER - 3) + "...";
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the hook runs: it ends the process
        }
    }

    /**
     * What the main thread and the shutdown hook share: the wait to cancel, the lease and the command. Whichever comes
     * second of the lease and the stop releases it, so a signal never leaves a claim behind.
     */
    static final class RunState {
        final CompletableFuture<Void> cancel = new CompletableFuture<>();
        private boolean stopping;
        private boolean enterDone;
        private boolean done;
        private Lease lease;
        private Process process;

        /** The wait ended (lease null: without a slot). @return false when tend is stopping (the hook releases it) */
        synchronized boolean entered(Lease lease) {
            this.lease = lease;
            enterDone = true;
            notifyAll();
            return !stopping;
        }

        /** @return false when tend is stopping: the hook ends the process */
        synchronized boolean started(Process process) {
            this.process = process;
            return !stopping;
        }

        /**
         * The main thread is done with the slot (the command ended, or it never ran).
         *
         * @return true when the main thread releases the lease and closes the store; false when the hook does
         */
        synchronized boolean mainEnds() {
            if (stopping) {
                return false;
            }
            done = true;
            return true;
        }

        /** The shutdown hook: gives up the wait, ends the command, releases the slot. */
        void stop() {
            Lease held;
            Process running;
            synchronized (this) {
                if (done) {
                    return;
                }
                stopping = true;
                cancel.complete(null);
                long deadline = System.nanoTime() + STOP_GRACE.toNanos();
                while (!enterDone && System.nanoTime() < deadline) {
                    try {
                        wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                held = lease;
                running = process;
            }
            if (running != null) {
                running.destroy();
                try {
                    if (!running.waitFor(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        running.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    running.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            if (held != null) {
                held.close();
            }
        }
    }
}
