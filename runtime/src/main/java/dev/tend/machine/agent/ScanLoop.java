package dev.tend.machine.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The agent's one scanning thread ({@code tend-agent-scan}): requests from the file-system watch (these directories
 * changed) and from the periodic timer (look at everything) pile up while a scan runs and are served together by the
 * next one, so bursts of changes cost one scan. All loading, reloading and removing happens on this thread, one at a
 * time.
 */
final class ScanLoop implements AutoCloseable {

    /** Does the work of one scan. */
    interface Scanner {
        /** @param full look at every directory; else only at {@code directories} (names in the machines directory) */
        void scan(boolean full, SortedSet<String> directories);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ScanLoop.class);

    private final Scanner scanner;
    private final Thread thread;
    private final SortedSet<String> dirty = new TreeSet<>();
    private boolean full;
    private long requested;
    private long done;
    private boolean closed;

    ScanLoop(Scanner scanner, String threadName) {
        this.scanner = scanner;
        this.thread = new Thread(this::run, threadName);
    }

    void start() {
        thread.start();
    }

    synchronized void requestFull() {
        full = true;
        requested++;
        notifyAll();
    }

    synchronized void request(Collection<String> directories) {
        if (directories.isEmpty()) {
            return;
        }
        dirty.addAll(directories);
        requested++;
        notifyAll();
    }

    /** Requests a full scan and waits until one that started after this call has finished. */
    void scanNow() throws InterruptedException {
        long mine;
        synchronized (this) {
            full = true;
            mine = ++requested;
            notifyAll();
            while (done < mine && !closed) {
                wait();
            }
        }
    }

    private void run() {
        while (true) {
            boolean fullScan;
            SortedSet<String> directories;
            long generation;
            synchronized (this) {
                while (!full && dirty.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (closed) {
                    notifyAll();
                    return;
                }
                fullScan = full;
                directories = new TreeSet<>(dirty);
                generation = requested;
                full = false;
                dirty.clear();
            }
            try {
                scanner.scan(fullScan, directories);
            } catch (RuntimeException e) {
                // One broken machine, or a bug, must never stop the agent from noticing the next change.
                LOG.error("scanning the machines failed: {}", e.toString(), e);
            }
            synchronized (this) {
                done = Math.max(done, generation);
                notifyAll();
            }
        }
    }

    /** Stops the thread after the scan in progress, if any. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
