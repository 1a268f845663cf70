package com.example.laneprobe;

import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * At start, gives its lane {@code tasks} timers, {@code tasks} pieces of blocking work, and {@code 2 * tasks} tasks handed
 * over one by one from another thread (as a store's watch hands over what it delivers), plus a 1 ms tick; meanwhile the
 * engine pokes it and asks for its state. Every callback counts whether another one of this watcher was running
 * (overlaps) and whether the handed-over tasks came in the order given. It publishes its counts when it has started, once
 * everything it gave has come back, and when it stops.
 */
final class LaneProbeWatcher implements Watcher {

    private final WatcherContext context;
    private final int tasks;
    /** The only thread-safe field: it detects two callbacks of this watcher running at once. */
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();

    // Plain fields, touched only on the lane: a lost update would show in the counts.
    private int callbacks;
    private int timers;
    private int blocking;
    private int blockingFailures;
    private int handed;
    private int lastHanded;
    private int outOfOrder;
    private int pokes;
    private int ticks;
    private int asked;
    private boolean announcedDone;
    private WatcherLane.Scheduled ticker;

    LaneProbeWatcher(WatcherContext context, int tasks) {
        this.context = context;
        this.tasks = tasks;
    }

    @Override
    public void start() {
        callback(() -> {
            WatcherLane lane = context.lane();
            for (int i = 0; i < tasks; i++) {
                lane.schedule(Duration.ofMillis(i % 20), () -> callback(() -> timers++));
                int n = i;
                lane.runBlocking(() -> Integer.toString(n * n).length(), (length, failure) -> callback(() -> {
                    blocking++;
                    if (failure != null || length == null) {
                        blockingFailures++;
                    }
                }));
            }
            context.blockingExecutor().execute(() -> {
                for (int n = 1; n <= 2 * tasks; n++) {
                    int sequence = n;
                    lane.execute(() -> callback(() -> {
                        if (sequence != lastHanded + 1) {
                            outOfOrder++;
                        }
                        lastHanded = sequence;
                        handed++;
                    }));
                }
            });
            ticker = lane.every(Duration.ofMillis(1), () -> callback(() -> ticks++));
            context.publishState(counts("started"));
        });
    }

    @Override
    public void stateChanged() {
        callback(() -> pokes++);
    }

    @Override
    public void stop() {
        callback(() -> {
            ticker.cancel();
            context.publishState(counts("stopped"));
        });
    }

    @Override
    public Map<String, Object> currentState() {
        return callbackReturning(() -> {
            asked++;
            return counts("running");
        });
    }

    private void callback(Runnable body) {
        callbackReturning(() -> {
            body.run();
            return null;
        });
    }

    /** Every callback of this watcher goes through here. */
    private <T> T callbackReturning(Supplier<T> body) {
        if (running.getAndIncrement() != 0) {
            overlaps.incrementAndGet();
        }
        try {
            callbacks++;
            T result = body.get();
            if (!announcedDone && timers == tasks && blocking == tasks && handed == 2 * tasks) {
                announcedDone = true;
                context.publishState(counts("done"));
            }
            return result;
        } finally {
            running.decrementAndGet();
        }
    }

    private Map<String, Object> counts(String phase) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("phase", phase);
        counts.put("callbacks", callbacks);
        counts.put("overlaps", overlaps.get());
        counts.put("timers", timers);
        counts.put("blocking", blocking);
        counts.put("blocking_failures", blockingFailures);
        counts.put("handed", handed);
        counts.put("out_of_order", outOfOrder);
        counts.put("pokes", pokes);
        counts.put("ticks", ticks);
        counts.put("asked", asked);
        return counts;
    }
}
