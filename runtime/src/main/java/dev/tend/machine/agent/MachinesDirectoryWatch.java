package dev.tend.machine.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@link WatchService} (inotify on Linux) on the machines directory and on each machine directory, so a new,
 * changed or removed machine is noticed at once. Its thread ({@code tend-agent-watch}) turns events into the names of the
 * machine directories to look at again and waits for a short quiet moment first, so a file written in several steps is
 * read once, complete. Inotify watches are limited per user: when one cannot be added the periodic scan covers that
 * machine (logged once).
 */
final class MachinesDirectoryWatch implements AutoCloseable {

    /** Where the names go. */
    interface Listener {
        /** These machine directories (names in the machines directory) may have changed. */
        void changed(Set<String> directories);

        /** Events were lost (queue overflow) or the machines directory itself went away: look at everything. */
        void lost();
    }

    private static final Logger LOG = LoggerFactory.getLogger(MachinesDirectoryWatch.class);
    /** Events closer together than this are one change. */
    private static final Duration SETTLE = Duration.ofMillis(100);
    /** ... but a directory that never stops changing is looked at this often anyway. */
    private static final Duration MAX_SETTLE = Duration.ofSeconds(1);

    private final Path machines;
    private final WatchService service;
    private final WatchKey rootKey;
    private final Listener listener;
    private final ConcurrentMap<WatchKey, String> keys = new ConcurrentHashMap<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean limitReported;

    private MachinesDirectoryWatch(Path machines, WatchService service, WatchKey rootKey, Listener listener,
                                   String threadName) {
        this.machines = machines;
        this.service = service;
        this.rootKey = rootKey;
        this.listener = listener;
        this.thread = new Thread(this::run, threadName);
    }

    /**
     * Watches {@code machines} (its own entries) from now on; machine directories are added with {@link #watch}.
     * Events queue up until {@link #start()} starts telling the listener.
     */
    static MachinesDirectoryWatch open(Path machines, Listener listener, String threadName) throws IOException {
        WatchService service = machines.getFileSystem().newWatchService();
        try {
            WatchKey root = machines.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            return new MachinesDirectoryWatch(machines, service, root, listener, threadName);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** Starts telling the listener. */
    void start() {
        thread.start();
    }

    /** Watches the machine directory {@code name} for changes of its {@code machine.yaml}, once. */
    void watch(String name) {
        if (!watched.add(name)) {
            return;
        }
        try {
            WatchKey key = machines.resolve(name).register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            keys.put(key, name);
        } catch (ClosedWatchServiceException e) {
            watched.remove(name);
        } catch (IOException e) {
            watched.remove(name);
            if (!limitReported) {
                limitReported = true;
                LOG.warn("cannot watch {} for changes ({}); such machines are noticed by the periodic scan only "
                        + "(on Linux, raise fs.inotify.max_user_watches)", machines.resolve(name), e.getMessage());
            }
        }
    }

    private void run() {
        try {
            while (true) {
                Set<String> changed = new TreeSet<>();
                boolean[] lost = {false};
                drain(service.take(), changed, lost);
                long deadline = System.nanoTime() + MAX_SETTLE.toNanos();
                WatchKey next;
                while (System.nanoTime() < deadline
                        && (next = service.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(next, changed, lost);
                }
                try {
                    if (lost[0]) {
                        listener.lost();
                    } else if (!changed.isEmpty()) {
                        listener.changed(changed);
                    }
                } catch (RuntimeException e) {
                    LOG.error("handling a change in {} failed: {}", machines, e.toString(), e);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // close(): done.
        }
    }

    private void drain(WatchKey key, Set<String> changed, boolean[] lost) {
        String machine = keys.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                lost[0] = true;
            } else if (key == rootKey) {
                String name = event.context().toString();
                if (MachineDirectories.eligibleName(name)) {
                    changed.add(name);
                }
            } else if (machine != null && event.context().toString().equals(MachineDirectories.MACHINE_FILE)) {
                // Only machine.yaml matters: watchers write their own files in machine directories all the time.
                changed.add(machine);
            }
        }
        if (!key.reset()) {
            if (key == rootKey) {
                LOG.warn("the machines directory {} went away; changes are noticed by the periodic scan only",
                        machines);
                lost[0] = true;
            } else if (machine != null) {
                keys.remove(key);
                watched.remove(machine);
                changed.add(machine);
            }
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service: {}", e.toString());
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
