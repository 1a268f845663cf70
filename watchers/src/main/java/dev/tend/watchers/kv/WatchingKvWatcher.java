package dev.tend.watchers.kv;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketReplacedException;
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
import dev.tend.machine.spi.WatcherLane;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code mode: watch} (Tend only): a store watch on the key, the filter or the whole bucket, so a change is seen within
 * milliseconds instead of at the next poll. A single key behaves as a poll that saw the change; a filter or the whole
 * bucket keeps a map of full key to value in one data item and fires {@code success_transition} on any change.
 *
 * <p>The watch runs only while the watcher is active: leaving the matching states closes it, entering one opens a new one,
 * whose initial set is compared with the machine data (a resync), so a change made meanwhile fires then — what a poll
 * after reactivation would do — and an unchanged value does not (also after an agent restart). {@code interval} adds a
 * periodic resync. An unavailable store or a watch that ends is retried with a growing back-off (1 s doubling to 30 s), a
 * missing bucket sooner (100 ms doubling to 2 s, and at once when the store tells that it was created: {@link
 * BucketCreationWait}); the first failure of a run of them fires {@code fail_transition} once. A bucket removed or
 * replaced under the watch (its watch ends with {@code BucketReplacedException}) is watched again at once, then as a
 * missing bucket, with one warning for the whole episode.
 *
 * <p>Everything here runs on the watcher's lane, so its fields need no lock and the lane's queue is its mailbox: what the
 * store's watch delivers on the store's thread is handed to the lane at once. Opening a watch (the store may be across
 * the network) is blocking work whose result comes back to the lane. Live changes queued on the lane together are stored
 * and fired as one.
 */
final class WatchingKvWatcher implements Watcher {

    /** The rendered key or filter (empty: the whole bucket) and the data key it is stored under. */
    private record Target(String filter, boolean single, String dataKey) {
    }

    /** What a watch delivered: an entry, its caught-up signal, or its end. */
    private record Signal(long epoch, Entry entry, boolean caughtUp, boolean ended, KvException error) {
    }

    /** Why a watch could not be opened: the kind of failure (for {@link FailureLog}) and its message. */
    private static final class OpenFailure extends Exception {
        private final String kind;

        OpenFailure(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    private final WatcherContext context;
    private final KvSettings settings;
    private final FailureLog failures;
    /** What is wrong with a value, said once per revision: a resync reads the same values again. */
    private final ValueWarnings warnings;
    private final Backoff backoff = new Backoff();
    /** While the bucket is missing, the store's notice of its creation. */
    private final BucketCreationWait creation;
    /** Resolves object values ({@code hiera_config}), or null. */
    private final HieraValues hiera;

    private boolean stopped;
    private KvOutcome outcome = KvOutcome.UNKNOWN;
    private Target target;
    private WatchView view;
    private String viewDataKey;
    private Watch watch;
    /** The current watch is being opened (blocking work under way). */
    private boolean opening;
    /** Identifies the current watch; what earlier ones deliver, or an opening that was given up, is ignored. */
    private long epoch;
    private boolean caughtUp;
    private final Map<String, Entry> initial = new LinkedHashMap<>();
    private WatcherLane.Scheduled retry;
    private WatcherLane.Scheduled resync;
    /** A failure was reported (fail_transition fired) and the watch has not caught up since. */
    private boolean failing;
    /** The epoch whose live changes a queued flush will store; -1 when none is queued. */
    private long flushQueuedFor = -1;

    WatchingKvWatcher(WatcherContext context, KvSettings settings, HieraValues hiera) {
        this.context = context;
        this.settings = settings;
        this.hiera = hiera;
        this.failures = new FailureLog(context.logger());
        this.warnings = new ValueWarnings(context.logger());
        this.creation = new BucketCreationWait(context, settings.bucket(), () -> step(this::bucketCreated));
    }

    @Override
    public void start() {
        Duration interval = settings.interval();
        if (interval.compareTo(Duration.ZERO) > 0) {
            resync = context.lane().every(interval, () -> step(this::resync));
        }
        step(this::activate);
    }

    @Override
    public void stateChanged() {
        step(this::activate);
    }

    @Override
    public void stop() {
        stopped = true;
        creation.done();
        closeWatch();
        cancel(retry);
        retry = null;
        cancel(resync);
        resync = null;
    }

    @Override
    public Map<String, Object> currentState() {
        return KvWatcherFactory.state(outcome, settings);
    }

    /** Runs {@code body} unless stopped; a bug or a surprise from the store is retried, never fatal to the machine. */
    private void step(Runnable body) {
        if (stopped) {
            return;
        }
        try {
            body.run();
        } catch (RuntimeException e) {
            context.logger().warn("kv watcher step failed: {}", KvWatcherFactory.describe(e), e);
            failure("unexpected", "watching " + where() + " failed: " + KvWatcherFactory.describe(e));
        }
    }

    /** Start, a state change or a retry: watch when active (if not already), close the watch when not. */
    private void activate() {
        if (!context.isActive()) {
            deactivate();
            return;
        }
        if (watch != null || opening) {
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
        creation.done();
        closeWatch();
        cancel(retry);
        retry = null;
        failing = false; // a failure after the next activation is reported again
        outcome = KvOutcome.SKIPPED;
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

    /** The store says the missing bucket was created: the look due later comes now. */
    private void bucketCreated() {
        if (retry != null && failures.isFailing("bucket")) {
            cancel(retry);
            retryNow();
        }
    }

    private void retryNow() {
        retry = null;
        if (!context.isActive()) {
            deactivate();
        } else if (watch == null && !opening) {
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
        long mine = ++epoch;
        target = t;
        caughtUp = false;
        initial.clear();
        opening = true;
        WatchListener listener = listener(mine);
        context.lane().runBlocking(() -> open(t, listener), (opened, failure) -> {
            if (stopped || mine != epoch) {
                if (opened != null) {
                    opened.close(); // given up meanwhile (stopped, deactivated, the key changed)
                }
                return;
            }
            step(() -> opened(opened, failure));
        });
    }

    /** Blocking work: opens the store (on first use), the bucket and the watch. */
    private Watch open(Target t, WatchListener listener) throws OpenFailure {
        Bucket bucket;
        try {
            bucket = context.store().bucket(settings.bucket());
        } catch (UnknownBucketException e) {
            throw new OpenFailure("bucket", "bucket " + settings.bucket() + " does not exist (yet)");
        } catch (RuntimeException e) {
            throw new OpenFailure("store", "the KV store is not available: " + KvWatcherFactory.describe(e));
        }
        try {
            return bucket.watch(t.filter().isEmpty() ? List.of() : List.of(t.filter()), WatchOptions.defaults(),
                    listener);
        } catch (RuntimeException e) {
            throw new OpenFailure("watch", "cannot watch " + where(t) + ": " + KvWatcherFactory.describe(e));
        }
    }

    /** The current watch was opened, or could not be. */
    private void opened(Watch opened, Throwable failure) {
        opening = false;
        if (failure instanceof OpenFailure f) {
            failure(f.kind, f.getMessage());
        } else if (failure instanceof RejectedExecutionException) {
            context.logger().debug("not watching {}: the agent is shutting down", where());
        } else if (failure != null) {
            failure("unexpected", "watching " + where() + " failed: " + KvWatcherFactory.describe(failure));
        } else {
            watch = opened;
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

    /** On the store's watch thread: hand it to the lane. */
    private void signal(Signal s) {
        context.lane().execute(() -> step(() -> received(s)));
    }

    private void received(Signal s) {
        if (s.epoch() != epoch) {
            return; // from a watch closed since
        }
        if (!context.isActive()) {
            deactivate(); // e.g. a foreign state changed: stop, resync when active again
            return;
        }
        if (s.ended()) {
            if (flushQueuedFor == epoch) {
                flushQueuedFor = -1;
                flush(); // what it delivered before it ended
            }
            watchEnded(s.error());
        } else if (s.caughtUp()) {
            caughtUp = true;
            view.sync(initial.values());
            initial.clear();
            synced();
            flush();
        } else if (!caughtUp) {
            initial.put(s.entry().key(), s.entry());
        } else {
            view.apply(s.entry());
            if (flushQueuedFor != epoch) { // behind what is already queued: changes delivered together flush as one
                long mine = epoch;
                flushQueuedFor = mine;
                context.lane().execute(() -> step(() -> flushLive(mine)));
            }
        }
    }

    private void flushLive(long mine) {
        if (mine == epoch) { // otherwise the watch was closed: the view keeps the changes for the next one
            flushQueuedFor = -1;
            flush();
        }
    }

    private void synced() {
        creation.done();
        backoff.reset();
        failing = false;
        failures.recovered("watching " + where() + " again");
    }

    /**
     * Stores what changed and fires the transitions, as polls at each write would have: {@code success_transition} for
     * a change, {@code fail_transition} for a value that could not become data (its key keeps the data it had), in the
     * order the entries came, a run of equal outcomes as one; so a batch with a good and a bad value fires both.
     */
    private void flush() {
        view.takeInvalid().forEach(i -> warnings.warn(i.key(), i.revision(), i.message()));
        List<KvOutcome> outcomes = view.takeOutcomes();
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
                outcome = KvOutcome.ERROR;
                context.fireFail();
                return;
            }
        }
        outcome = KvOutcome.UNCHANGED;
        for (KvOutcome o : outcomes) {
            outcome = o;
            if (o == KvOutcome.ERROR) {
                context.fireFail();
            } else {
                context.fireSuccess();
            }
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
        if (error instanceof BucketReplacedException) {
            // Logged as the bucket's failure, so that the new bucket still missing at the retries adds no line.
            failures.failed("bucket", "bucket " + settings.bucket() + " was removed or replaced while watched;"
                    + " watching it again");
            establish(); // the new bucket is usually there already: at once, with a resync
            return;
        }
        failures.failed("ended", "the watch on " + where() + " ended"
                + (error == null ? "" : ": " + KvWatcherFactory.describe(error)) + "; watching again");
        scheduleRetry();
    }

    /** Reports a failure (fail_transition once per run of failures) and retries after the back-off. */
    private void failure(String kind, String message) {
        failures.failed(kind, message);
        outcome = KvOutcome.ERROR;
        closeWatch();
        scheduleRetry();
        if (!failing) {
            failing = true;
            context.fireFail();
        }
    }

    private void scheduleRetry() {
        cancel(retry);
        // A bucket that does not exist yet is the usual first run (agent started, bucket added later), and asking for it
        // is cheap: look soon, then often, so the first value is seen within a fraction of a second, not after the
        // back-off's cap.
        boolean missing = failures.isFailing("bucket");
        if (missing) {
            creation.waiting(); // and told when it is created, sooner than the next look
        }
        Duration delay = missing ? backoff.nextMissingBucket(Backoff.MISSING_BUCKET) : backoff.next();
        retry = context.lane().schedule(delay, () -> step(this::retryNow));
    }

    /** Closes the current watch, and gives up one being opened (it is closed when it comes). */
    private void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        opening = false;
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
        return KvValues.parse(e.value(), settings.query(), hiera, settings.bucket() + " > " + e.key(),
                warning -> warnings.warn(e.key(), e.revision(), warning));
    }

    private String where() {
        return where(target);
    }

    private String where(Target t) {
        String what = t == null || t.filter().isEmpty() ? settings.key() : t.filter();
        return what.isEmpty() ? "bucket " + settings.bucket() : settings.bucket() + " > " + what;
    }

    private static void cancel(WatcherLane.Scheduled timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
