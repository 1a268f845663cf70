package dev.tend.cli.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * How the long-running commands ({@code tend agent}, {@code tend machine run}) end: they run until SIGTERM or SIGINT,
 * then a shutdown hook stops everything they started and ends the process with status 0 (a stop on request is not a
 * failure; the JVM's own status for a signal would be 128 + its number).
 *
 * <p>The hook is installed before the command starts its work ({@link #install}), so that a signal arriving while it
 * starts (after the agent has said it started, say) already stops it this way; a command that fails to start
 * {@link #cancel}s it, so its failure keeps its own exit status.
 */
public final class UntilSignalled {

    private static final Logger LOG = LoggerFactory.getLogger(UntilSignalled.class);

    private final Thread hook;

    private UntilSignalled(Thread hook) {
        this.hook = hook;
    }

    /**
     * Installs the shutdown hook that runs {@code stop} and ends the process with status 0.
     *
     * @param name names the hook's thread, {@code tend-<name>-shutdown}
     * @param stop closes what the command started; must not wait for the thread blocked in {@link #await}
     */
    public static UntilSignalled install(String name, Runnable stop) {
        Thread hook = new Thread(() -> {
            try {
                stop.run();
            } catch (RuntimeException | Error e) {
                LOG.error("stopping failed: {}", e.toString(), e);
            } finally {
                System.out.flush();
                System.err.flush();
                // Shutdown hooks cannot set the exit status; halt can, and every hook of ours has run by now.
                Runtime.getRuntime().halt(0);
            }
        }, "tend-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return new UntilSignalled(hook);
    }

    /** Takes the hook back, for a command that failed to start; nothing when the process is already stopping. */
    public void cancel() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the hook runs (or ran): it ends the process
        }
    }

    /** Blocks the calling thread until the process ends in the hook. Never returns normally. */
    public void await() throws InterruptedException {
        new CountDownLatch(1).await();
    }
}
