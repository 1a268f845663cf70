package dev.tend.watchers.file;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks a file every interval (the first time one interval after start) and whenever the machine changes state. While
 * inactive a check only records {@code skipped} (the remembered modification time is kept, reference #1403); while
 * active a {@code changed} outcome publishes the state and fires {@code success_transition}, an {@code error} publishes
 * and fires {@code fail_transition} (on every check while it lasts), {@code unchanged} does nothing.
 *
 * <p>Checks do file I/O, so the interval's ticks hand them to the blocking executor (a tick while one is queued is
 * dropped); checks, pokes and stop take this object's lock, so one check runs at a time.
 */
final class FileWatcher implements Watcher {

    private final WatcherContext context;
    private final Path path;
    private final Duration interval;
    private final boolean gatherInitialState;
    private final FileCheck check;
    private final AtomicBoolean checkQueued = new AtomicBoolean();

    // Guarded by this.
    private FileTime seen = ChangeDetection.NONE;
    private Outcome previous = Outcome.UNKNOWN;
    private String lastError = "";
    private boolean stopped;
    private ScheduledFuture<?> ticks;

    /**
     * @param path  absolute
     * @param check what an active check does
     */
    FileWatcher(WatcherContext context, Path path, Duration interval, boolean gatherInitialState, FileCheck check) {
        this.context = context;
        this.path = path;
        this.interval = interval;
        this.gatherInitialState = gatherInitialState;
        this.check = check;
    }

    @Override
    public synchronized void start() {
        if (stopped) {
            return;
        }
        if (gatherInitialState) {
            try {
                seen = Files.getLastModifiedTime(path);
            } catch (IOException e) {
                context.logger().debug("no initial state for {}: {}", path, IoMessages.describe(e));
            }
        }
        long nanos = interval.toNanos();
        ticks = context.scheduler().scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void stateChanged() {
        check();
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    @Override
    public synchronized Map<String, Object> currentState() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("path", path.toString());
        fields.put("previous_outcome", previous.text());
        return fields;
    }

    /** On the scheduler: queue a check on the blocking executor unless one is queued already. */
    private void tick() {
        if (!checkQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            context.blockingExecutor().execute(() -> {
                checkQueued.set(false);
                check();
            });
        } catch (RejectedExecutionException e) {
            checkQueued.set(false); // shutting down
        }
    }

    private synchronized void check() {
        if (stopped) {
            return;
        }
        if (!context.isActive()) {
            previous = Outcome.SKIPPED;
            return;
        }
        FileCheck.Result result = check.check(seen);
        seen = result.seen();
        previous = result.outcome();
        switch (result.outcome()) {
            case CHANGED -> {
                lastError = "";
                if (!result.detail().isEmpty()) {
                    context.logger().info("{}", result.detail());
                }
                context.publishState(currentState());
                context.fireSuccess();
            }
            case ERROR -> {
                if (!result.detail().equals(lastError)) { // once per distinct problem: it is reported on every check
                    context.logger().warn("{}", result.detail());
                    lastError = result.detail();
                } else {
                    context.logger().debug("{}", result.detail());
                }
                context.publishState(currentState());
                context.fireFail();
            }
            default -> lastError = "";
        }
    }
}
