package dev.tend.watchers.file;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * Checks a file every interval (the first time one interval after start) and whenever the machine changes state. While
 * inactive a check only records {@code skipped} (the remembered modification time is kept, so becoming active again
 * does not report a change that did not happen); while active a {@code changed} outcome publishes the state and fires
 * {@code success_transition}, an {@code error} publishes and fires {@code fail_transition} (on every check while it
 * lasts), {@code unchanged} does nothing.
 *
 * <p>Everything here runs on the watcher's lane, so its fields need no lock. Checks do file I/O, so the check itself is
 * blocking work whose result comes back to the lane; one runs at a time, and the checks asked for meanwhile become one
 * more. The lane's interval ticks do not pile up behind a slow check.
 */
final class FileWatcher implements Watcher {

    private final WatcherContext context;
    private final Path path;
    private final Duration interval;
    private final boolean gatherInitialState;
    private final FileCheck check;

    private FileTime seen = ChangeDetection.NONE;
    private FileOutcome previous = FileOutcome.UNKNOWN;
    private String lastError = "";
    private boolean stopped;
    private WatcherLane.Scheduled ticks;
    /** A check (or gathering the initial state) is running as blocking work. */
    private boolean checking;
    /** A check was asked for while one was running. */
    private boolean checkAgain;

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
    public void start() {
        if (stopped) {
            return;
        }
        if (gatherInitialState) {
            checking = true; // checks asked for meanwhile wait for the time to compare with
            context.lane().runBlocking(() -> Files.getLastModifiedTime(path), (time, failure) -> {
                if (failure == null) {
                    seen = time;
                } else {
                    context.logger().debug("no initial state for {}: {}", path, IoMessages.describe(failure));
                }
                checked();
            });
        }
        ticks = context.lane().every(interval, this::check);
    }

    @Override
    public void stateChanged() {
        check();
    }

    @Override
    public void stop() {
        stopped = true;
        if (ticks != null) {
            ticks.cancel();
            ticks = null;
        }
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("path", path.toString());
        fields.put("previous_outcome", previous.text());
        return fields;
    }

    private void check() {
        if (stopped) {
            return;
        }
        if (checking) {
            checkAgain = true;
            return;
        }
        if (!context.isActive()) {
            previous = FileOutcome.SKIPPED;
            return;
        }
        checking = true;
        FileTime since = seen;
        context.lane().runBlocking(() -> check.check(since), (result, failure) -> {
            if (failure instanceof RejectedExecutionException) {
                context.logger().debug("not checking {}: the agent is shutting down", path);
            } else if (failure != null) {
                context.logger().warn("checking {} failed unexpectedly: {}", path, failure.toString(), failure);
            } else if (!stopped) {
                report(result);
            }
            checked();
        });
    }

    /** A check ended: run the one asked for meanwhile. */
    private void checked() {
        checking = false;
        if (checkAgain) {
            checkAgain = false;
            check();
        }
    }

    private void report(FileCheck.Result result) {
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
