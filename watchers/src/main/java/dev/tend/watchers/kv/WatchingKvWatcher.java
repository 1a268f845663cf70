package dev.tend.watchers.kv;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.FellBehindException;
import dev.tend.kv.InvalidKeyException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code mode: watch} (Tend only): a store watch on the key, the filter or the whole bucket, so a change is seen within
 * milliseconds instead of at the next poll. A single key behaves as a poll that saw the change; a filter or the whole
 * bucket keeps a map of full key to value in one data item and fires {@code success_transition} on any change.
 *
 * <p>The watch runs only while the watcher is active: leaving the matching states closes it, entering one opens a new one,
 * whose initial set is compared with the machine data (a resync), so a change made meanwhile fires then — what a poll
 * after reactivation would do — and an unchanged value does not (also after an agent restart). {@code interval} adds a
 * periodic resync. A missing bucket, an unavailable store or a watch that ends is retried with a growing back-off
 * (1 s doubling to 30 s); the first failure of a run of them fires {@code fail_transition} once.
 *
 * <p>Threads: the store's watch executor only queues what it delivers; every step runs on the blocking executor under
 * this watcher's lock, and transitions are fired after the lock is released.
 */
final class WatchingKvWatcher implements Watcher {

    /** The rendered key or filter (empty: the whole bucket) and the data key it is stored under. */
    private record Target(String filter, boolean single, String dataKey) {
    }

    /** What a watch delivered: an entry, its caught-up signal, or its end. */
    private record Signal(long epoch, Entry entry, boolean caughtUp, boolean ended, KvException error) {
    }

    private final WatcherContext context;
    private final KvSettings settings;
    private final FailureLog failures;
    private final Backoff backoff = new Backoff();

    private final List<Signal> pending = new ArrayList<>(); // guarded by itself
    private boolean drainQueued; // guarded by pending

    // Guarded by this.
    private boolean stopped;
    private Outcome outcome = Outcome.UNKNOWN;
    private Target target;
    private WatchView view;
    private String viewDataKey;
    private Watch watch;
    /** Identifies the current watch; signals of earlier ones are ignored. */
    private long epoch;
    private boolean caughtUp;
    private final Map<String, Entry> initial = new LinkedHashMap<>();
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> resync;
    /** A failure was reported (fail_transition fired) and the watch has not caught up since. */
    private boolean failing;
    /** Transitions to fire once the lock is released. */
    private final List<Runnable> fires = new ArrayList<>();

    WatchingKvWatcher(WatcherContext context, KvSettings settings) {
        this.context = context;
        this.settings = settings;
        this.failures = new FailureLog(context.logger());
    }

    @Override
    public void start() {
        step(() -> {
            Duration interval = settings.interval();
            if (interval.compareTo(Duration.ZERO) > 0) {
                resync = context.scheduler().scheduleAtFixedRate(() -> later(this::resync), interval.toNanos(),
                        interval.toNanos(), TimeUnit.NANOSECONDS);
            }
            activate();
        });
    }

    @Override
    public void stateChanged() {
        step(this::activate);
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        closeWatch();
        cancel(retry);
        retry = null;
        cancel(resync);
        resync = null;
    }

    @Override
    public synchronized Map<String, Object> currentState() {
        return KvWatcherFactory.state(outcome, settings);
    }

    /** Runs {@code body} under the lock, then fires what it decided. */
    private void step(Runnable body) {
        List<Runnable> toFire;
        synchronized (this) {
            if (stopped) {
                return;
            }
            try {
                body.run();
            } catch (RuntimeException e) { // a bug or a surprise from the store: retried, never fatal to the machine
                context.logger().warn("kv watcher step failed: {}", KvWatcherFactory.describe(e), e);
                failure("unexpected", "watching " + where() + " failed: " + KvWatcherFactory.describe(e));
            }
            toFire = List.copyOf(fires);
            fires.clear();
        }
        toFire.forEach(Runnable::run);
    }

    /** From a scheduler or a store thread: does {@code body} as a step on the blocking executor. */
    private void later(Runnable body) {
        try {
            context.blockingExecutor().execute(() -> step(body));
        } catch (RejectedExecutionException e) {
            context.logger().debug("blocking executor shut down: kv watcher step dropped");
        }
    }

    /** Start, a state change or a retry: watch when active (if not already), close the watch when not. */
    private void activate() {
        if (!context.isActive()) {
            deactivate();
            return;
        }
        if (watch != null) {
            Target now = targetOrNull();
            if (now == null || now.equals(target)) {
                return;
            }
            closeWatch(); // the key's template renders differently now
        }
        if (retry == null) {
            establish();
        }
    }

    private void deactivate() {
        closeWatch();
        cancel(retry);
        retry = null;
        failing = false; // a failure after the next activation is reported again
        outcome = Outcome.SKIPPED;
    }

    private void resync() {
        if (!context.isActive()) {
            deactivate();
            return;
        }
        if (retry != null) {
            return; // a retry is due anyway
        }
        closeWatch();
        establish();
    }

    private void retryNow() {
        retry = null;
        if (!context.isActive()) {
            deactivate();
        } else if (watch == null) {
            establish();
        }
    }

    private void establish() {
        Target t;
        try {
            t = target();
        } catch (TemplateException | InvalidKeyException e) {
            failure("key", "key " + quote(settings.key()) + ": " + e.getMessage());
            return;
        }
        if (view == null || !t.dataKey().equals(viewDataKey) || view.isSingle() != t.single()) {
            var stored = context.data().get(t.dataKey());
            view = t.single() ? WatchView.single(t.filter(), stored, this::parse, settings)
                    : WatchView.map(stored, this::parse, settings);
            viewDataKey = t.dataKey();
        }
        Bucket bucket;
        try {
            bucket = context.store().bucket(settings.bucket());
        } catch (UnknownBucketException e) {
            failure("bucket", "bucket " + settings.bucket() + " does not exist (yet)");
            return;
        } catch (RuntimeException e) {
            failure("store", "the KV store is not available: " + KvWatcherFactory.describe(e));
            return;
        }
        long mine = ++epoch;
        target = t;
        caughtUp = false;
        initial.clear();
        try {
            watch = bucket.watch(t.filter().isEmpty() ? List.of() : List.of(t.filter()), WatchOptions.defaults(),
                    listener(mine));
        } catch (RuntimeException e) {
            watch = null;
            failure("watch", "cannot watch " + where() + ": " + KvWatcherFactory.describe(e));
        }
    }

    private WatchListener listener(long mine) {
        return new WatchListener() {
            @Override
            public void onEntry(Entry entry) {
                signal(new Signal(mine, entry, false, false, null));
            }

            @Override
            public void onCaughtUp() {
                signal(new Signal(mine, null, true, false, null));
            }

            @Override
            public void onError(KvException error) {
                signal(new Signal(mine, null, false, true, error));
            }

            @Override
            public void onEnd() {
                signal(new Signal(mine, null, false, true, null));
            }
        };
    }

    /** On the store's watch thread: queue, and have one drain take everything queued. */
    private void signal(Signal s) {
        synchronized (pending) {
            pending.add(s);
            if (drainQueued) {
                return;
            }
            drainQueued = true;
        }
        later(this::drain);
    }

    private void drain() {
        List<Signal> batch;
        synchronized (pending) {
            batch = new ArrayList<>(pending);
            pending.clear();
            drainQueued = false;
        }
        if (batch.stream().noneMatch(s -> s.epoch() == epoch)) {
            return; // from a watch closed since
        }
        if (!context.isActive()) {
            deactivate(); // e.g. a foreign state changed: stop, resync when active again
            return;
        }
        boolean seen = false;
        Signal ended = null;
        for (Signal s : batch) {
            if (s.epoch() != epoch) {
                continue;
            }
            if (s.ended()) {
                ended = s;
                break;
            }
            if (s.caughtUp()) {
                caughtUp = true;
                view.sync(initial.values());
                initial.clear();
                seen = true;
                synced();
            } else if (!caughtUp) {
                initial.put(s.entry().key(), s.entry());
            } else {
                view.apply(s.entry());
                seen = true;
            }
        }
        if (seen) {
            flush();
        }
        if (ended != null) {
            watchEnded(ended.error());
        }
    }

    private void synced() {
        backoff.reset();
        failing = false;
        failures.recovered("watching " + where() + " again");
    }

    /** Stores what changed and decides the transition. */
    private void flush() {
        boolean changed = view.takeChanged();
        if (view.takeDirty()) {
            try {
                if (view.holdsValue()) {
                    context.data().put(target.dataKey(), view.value());
                } else {
                    context.data().delete(target.dataKey());
                }
            } catch (RuntimeException e) { // machine data could not be persisted
                context.logger().warn("cannot store {} as data \"{}\": {}", where(), target.dataKey(),
                        KvWatcherFactory.describe(e));
                outcome = Outcome.ERROR;
                fires.add(context::fireFail);
                return;
            }
        }
        outcome = changed ? Outcome.CHANGED : Outcome.UNCHANGED;
        if (changed) {
            fires.add(context::fireSuccess);
        }
    }

    private void watchEnded(KvException error) {
        watch = null;
        caughtUp = false;
        initial.clear();
        epoch++;
        if (error instanceof FellBehindException) {
            context.logger().info("the watch on {} fell behind; watching again", where());
            establish(); // it had worked: at once, with a resync
            return;
        }
        failures.failed("ended", "the watch on " + where() + " ended"
                + (error == null ? "" : ": " + KvWatcherFactory.describe(error)) + "; watching again");
        scheduleRetry();
    }

    /** Reports a failure (fail_transition once per run of failures) and retries after the back-off. */
    private void failure(String kind, String message) {
        failures.failed(kind, message);
        outcome = Outcome.ERROR;
        closeWatch();
        scheduleRetry();
        if (!failing) {
            failing = true;
            fires.add(context::fireFail);
        }
    }

    private void scheduleRetry() {
        cancel(retry);
        Duration delay = backoff.next();
        if (failures.isFailing("bucket") && delay.compareTo(Backoff.MISSING_BUCKET) > 0) {
            // A bucket that does not exist yet is the usual first run (agent started, bucket added later), and asking
            // for it is cheap: look often so the first value is seen within seconds, not after the back-off's cap.
            delay = Backoff.MISSING_BUCKET;
        }
        try {
            retry = context.scheduler().schedule(() -> later(this::retryNow), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            retry = null; // shutting down
        }
    }

    private void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        epoch++;
        caughtUp = false;
        initial.clear();
    }

    private Target targetOrNull() {
        try {
            return target();
        } catch (TemplateException | InvalidKeyException e) {
            return null; // keep the current watch; the next resync reports it
        }
    }

    private Target target() throws TemplateException {
        String filter = "";
        if (!settings.key().isEmpty()) {
            filter = context.templates().render(settings.key());
            if (filter.isBlank()) {
                throw new InvalidKeyException("renders to an empty key");
            }
            KeyFilter.of(filter); // checks it
        }
        boolean single = !filter.isEmpty() && KeyFilter.of(filter).isLiteral();
        String dataKey;
        if (!settings.storeKey().isEmpty()) {
            dataKey = settings.dataKey(context.templates().render(settings.storeKey()));
        } else {
            dataKey = single ? settings.dataKey(filter) : settings.bucket();
        }
        return new Target(filter, single, dataKey);
    }

    private Object parse(Entry e) {
        return KvValues.parse(e.value(), settings.query(), settings.bucket() + " > " + e.key(), context.logger());
    }

    private String where() {
        String what = target == null || target.filter().isEmpty() ? settings.key() : target.filter();
        return what.isEmpty() ? "bucket " + settings.bucket() : settings.bucket() + " > " + what;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
