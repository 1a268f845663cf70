package dev.tend.cli.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * How the long-running commands ({@code tend agent}, {@code tend machine run}) end: they run until SIGTERM or SIGINT,
 * then a shutdown hook stops everything they started and ends the process with status 0 (a stop on request is not a
 * failure; the JVM's own status for a signal would be 128 + its number).
 */
public final class UntilSignalled {

    private static final Logger LOG = LoggerFactory.getLogger(UntilSignalled.class);

    private UntilSignalled() {
    }

    /**
     * Blocks the calling thread until the process is told to stop, runs {@code stop}, and ends the process with status 0.
     * Never returns normally.
     *
     * @param name names the hook's thread, {@code tend-<name>-shutdown}
     * @param stop closes what the command started; must not wait for the blocked thread
     */
    public static void await(String name, Runnable stop) throws InterruptedException {
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
        new CountDownLatch(1).await();
    }
}
