package dev.tend.watchers.kv;

import dev.tend.kv.Entry;
import dev.tend.kv.InvalidKeyException;
import dev.tend.kv.Names;
import dev.tend.kv.UnknownBucketException;
import dev.tend.machine.spi.MachineData;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code mode: poll}, as the reference (§4.4): reads the key at start, every {@code interval}, and when the machine
 * changes state (unless it read less than an interval ago); stores what it read in the machine data and fires
 * {@code success_transition} on a change (a deleted key is one) and {@code fail_transition} on any error. A missing bucket
 * or an unavailable store is an error of that poll and is tried again at the next one.
 */
final class PollingKvWatcher implements Watcher {

    private final WatcherContext context;
    private final KvSettings settings;
    private final FailureLog failures;
    /** A tick waiting for the blocking executor: ticks do not pile up behind a slow read. */
    private final AtomicBoolean tickQueued = new AtomicBoolean();

    // Guarded by this.
    private boolean stopped;
    private ScheduledFuture<?> ticker;
    private Object previous;
    private boolean hasPrevious;
    private long previousRevision;
    private Instant lastPoll;
    private Outcome outcome = Outcome.UNKNOWN;

    PollingKvWatcher(WatcherContext context, KvSettings settings) {
        this.context = context;
        this.settings = settings;
        this.failures = new FailureLog(context.logger());
    }

    @Override
    public void start() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            seedFromData();
            long period = settings.interval().toNanos();
            if (period > 0) { // the loader requires an interval in poll mode; a definition built in code may lack one
                ticker = context.scheduler().scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
            }
        }
        poll(false);
    }

    @Override
    public void stateChanged() {
        poll(true);
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    @Override
    public synchronized Map<String, Object> currentState() {
        return KvWatcherFactory.state(outcome, settings);
    }

    /** On the scheduler: hand the read to the blocking executor. */
    private void tick() {
        if (tickQueued.compareAndSet(false, true)) {
            try {
                context.blockingExecutor().execute(() -> {
                    tickQueued.set(false);
                    poll(false);
                });
            } catch (RejectedExecutionException e) {
                tickQueued.set(false); // shutting down
            }
        }
    }

    /** The reference keeps what it stored before, so a restart with the same value is no change. */
    private void seedFromData() {
        try {
            Optional<Object> stored = context.data().get(dataKey(render(settings.key())));
            hasPrevious = stored.isPresent();
            previous = stored.orElse(null);
        } catch (TemplateException e) {
            // reported by the first poll
        }
    }

    private void poll(boolean poke) {
        Outcome result;
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (!context.isActive()) {
                outcome = Outcome.SKIPPED;
                return;
            }
            Instant now = context.clock().instant();
            if (poke && lastPoll != null && Duration.between(lastPoll, now).compareTo(settings.interval()) < 0) {
                return; // read less than an interval ago
            }
            lastPoll = now;
            result = read();
            outcome = result;
        }
        if (result == Outcome.ERROR) {
            context.fireFail();
        } else if (result == Outcome.CHANGED) {
            context.fireSuccess();
        }
    }

    private Outcome read() {
        String key;
        String dataKey;
        try {
            key = Names.checkKey(render(settings.key()));
            dataKey = dataKey(key);
        } catch (TemplateException | InvalidKeyException e) {
            return failed("key", "key " + quote(settings.key()) + ": " + e.getMessage());
        }
        Optional<Entry> entry;
        try {
            entry = context.store().bucket(settings.bucket()).get(key);
        } catch (UnknownBucketException e) {
            return failed("bucket", "bucket " + settings.bucket() + " does not exist (yet)");
        } catch (RuntimeException e) {
            return failed("store", "cannot read " + settings.bucket() + " > " + key + ": " + KvWatcherFactory.describe(e));
        }
        failures.recovered("reading " + settings.bucket() + " > " + key + " works again");
        try {
            return compare(key, dataKey, entry);
        } catch (RuntimeException e) { // machine data could not be persisted
            return failed("data", "cannot store " + settings.bucket() + " > " + key + " as data " + quote(dataKey) + ": "
                    + KvWatcherFactory.describe(e));
        }
    }

    private Outcome compare(String key, String dataKey, Optional<Entry> entry) {
        MachineData data = context.data();
        if (entry.isEmpty()) {
            if (!hasPrevious) {
                return Outcome.UNCHANGED;
            }
            hasPrevious = false;
            previous = null;
            previousRevision = 0;
            data.delete(dataKey);
            return Outcome.CHANGED;
        }
        Entry e = entry.get();
        Object value = KvValues.parse(e.value(), settings.query(), settings.bucket() + " > " + key, context.logger());
        if (!hasPrevious || !KvValues.same(value, previous)) {
            hasPrevious = true;
            previous = value;
            previousRevision = e.revision();
            data.put(dataKey, value);
            return Outcome.CHANGED;
        }
        boolean reput = settings.onMatchingUpdate() && previousRevision > 0 && e.revision() > previousRevision;
        previousRevision = e.revision();
        return reput || settings.onSuccessfulGet() ? Outcome.CHANGED : Outcome.UNCHANGED;
    }

    private Outcome failed(String kind, String message) {
        failures.failed(kind, message);
        return Outcome.ERROR;
    }

    private String dataKey(String renderedKey) throws TemplateException {
        return settings.dataKey(settings.storeKey().isEmpty() ? renderedKey : render(settings.storeKey()));
    }

    private String render(String template) throws TemplateException {
        return context.templates().render(template);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
