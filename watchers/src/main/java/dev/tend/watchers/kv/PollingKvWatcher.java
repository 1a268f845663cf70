package dev.tend.watchers.kv;

import dev.tend.kv.Entry;
import dev.tend.kv.InvalidKeyException;
import dev.tend.kv.Names;
import dev.tend.kv.UnknownBucketException;
import dev.tend.machine.spi.MachineData;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherLane;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code mode: poll}, as the reference polls: reads the key at start, every {@code interval}, and when the machine
 * changes state (unless it read less than an interval ago); stores what it read in the machine data and fires
 * {@code success_transition} on a change (a deleted key is one) and {@code fail_transition} on any error. A missing bucket
 * or an unavailable store is an error of that poll and is tried again at the next one; a missing bucket is also looked
 * for between polls, 100 ms after, then at doubling delays up to 2 s (never past the interval), so that a bucket created
 * just after the watcher started is read at once; these looks fire nothing while the bucket is still missing.
 *
 * <p>Everything here runs on the watcher's lane, so its fields need no lock. The read itself (the store may be across the
 * network) is blocking work whose result comes back to the lane; one runs at a time. A tick that comes during a read is
 * served by it; a state change then polls again once it ended (and is skipped as usual when it came less than an
 * interval after the read began).
 */
final class PollingKvWatcher implements Watcher {

    /** A read to do: the rendered key and the data key its value goes to. */
    private record Read(String key, String dataKey) {
    }

    private final WatcherContext context;
    private final KvSettings settings;
    private final FailureLog failures;
    /** Resolves object values ({@code hiera_config}), or null. */
    private final HieraValues hiera;

    private boolean stopped;
    private WatcherLane.Scheduled ticker;
    /** The next look for a missing bucket between polls, or null. */
    private WatcherLane.Scheduled bucketLook;
    private final Backoff bucketBackoff = new Backoff();
    private Object previous;
    private boolean hasPrevious;
    private long previousRevision;
    private Instant lastPoll;
    private KvOutcome outcome = KvOutcome.UNKNOWN;
    /** A read is under way. */
    private boolean reading;
    /** The machine changed state during the read under way. */
    private boolean pokedWhileReading;

    PollingKvWatcher(WatcherContext context, KvSettings settings, HieraValues hiera) {
        this.context = context;
        this.settings = settings;
        this.hiera = hiera;
        this.failures = new FailureLog(context.logger());
    }

    @Override
    public void start() {
        if (stopped) {
            return;
        }
        seedFromData();
        if (settings.interval().compareTo(Duration.ZERO) > 0) {
            // the loader requires an interval in poll mode; a definition built in code may lack one
            ticker = context.lane().every(settings.interval(), () -> poll(false));
        }
        poll(false);
    }

    @Override
    public void stateChanged() {
        poll(true);
    }

    @Override
    public void stop() {
        stopped = true;
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
        cancelBucketLook();
    }

    @Override
    public Map<String, Object> currentState() {
        return KvWatcherFactory.state(outcome, settings);
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
        poll(poke, false);
    }

    /** @param look a look for a missing bucket between polls: when it is still missing, nothing is reported */
    private void poll(boolean poke, boolean look) {
        if (stopped) {
            return;
        }
        if (reading) {
            pokedWhileReading |= poke;
            return;
        }
        if (!context.isActive()) {
            outcome = KvOutcome.SKIPPED;
            return;
        }
        Instant now = context.clock().instant();
        if (poke && lastPoll != null && Duration.between(lastPoll, now).compareTo(settings.interval()) < 0) {
            return; // read less than an interval ago
        }
        lastPoll = now;
        Read read;
        try {
            String key = Names.checkKey(render(settings.key()));
            read = new Read(key, dataKey(key));
        } catch (TemplateException | InvalidKeyException e) {
            report(failed("key", "key " + quote(settings.key()) + ": " + e.getMessage()));
            return;
        }
        if (!look) {
            cancelBucketLook(); // this poll looks too, and schedules the next look if the bucket is still missing
        }
        reading = true;
        context.lane().runBlocking(() -> context.store().bucket(settings.bucket()).get(read.key()),
                (entry, failure) -> read(read, entry, failure, look));
    }

    private void lookForBucketSoon() {
        Duration delay = bucketBackoff.nextMissingBucket(Backoff.MISSING_BUCKET);
        if (settings.interval().compareTo(Duration.ZERO) > 0 && delay.compareTo(settings.interval()) >= 0) {
            return; // the next poll comes first
        }
        bucketLook = context.lane().schedule(delay, () -> {
            bucketLook = null;
            poll(false, true);
        });
    }

    private void cancelBucketLook() {
        if (bucketLook != null) {
            bucketLook.cancel();
            bucketLook = null;
        }
    }

    /** The store answered (on the lane). */
    private void read(Read read, Optional<Entry> entry, Throwable failure, boolean look) {
        reading = false;
        if (failure instanceof RejectedExecutionException) {
            context.logger().debug("not reading {} > {}: the agent is shutting down", settings.bucket(), read.key());
            return;
        }
        if (!stopped) {
            boolean missing = failure instanceof UnknownBucketException;
            if (missing) {
                cancelBucketLook();
                lookForBucketSoon();
            } else {
                bucketBackoff.reset();
            }
            if (!(look && missing)) {
                report(failure == null ? compare(read, entry) : storeFailure(read, failure));
            }
        }
        if (pokedWhileReading) {
            pokedWhileReading = false;
            poll(true);
        }
    }

    private void report(KvOutcome result) {
        outcome = result;
        if (result == KvOutcome.ERROR) {
            context.fireFail();
        } else if (result == KvOutcome.CHANGED) {
            context.fireSuccess();
        }
    }

    private KvOutcome storeFailure(Read read, Throwable failure) {
        if (failure instanceof UnknownBucketException) {
            return failed("bucket", "bucket " + settings.bucket() + " does not exist (yet)");
        }
        return failed("store", "cannot read " + settings.bucket() + " > " + read.key() + ": "
                + KvWatcherFactory.describe(failure));
    }

    private KvOutcome compare(Read read, Optional<Entry> entry) {
        Object value;
        try {
            value = entry.isEmpty() ? null : KvValues.parse(entry.get().value(), settings.query(), hiera,
                    settings.bucket() + " > " + read.key(), warning -> context.logger().warn("{}", warning));
        } catch (InvalidValueException e) { // the data and what was read before stay as they are
            return failed("value", e.getMessage());
        }
        failures.recovered("reading " + settings.bucket() + " > " + read.key() + " works again");
        try {
            return compare(read.dataKey(), entry, value);
        } catch (RuntimeException e) { // machine data could not be persisted
            return failed("data", "cannot store " + settings.bucket() + " > " + read.key() + " as data "
                    + quote(read.dataKey()) + ": " + KvWatcherFactory.describe(e));
        }
    }

    /** @param value the entry's value as data (when there is an entry) */
    private KvOutcome compare(String dataKey, Optional<Entry> entry, Object value) {
        MachineData data = context.data();
        if (entry.isEmpty()) {
            if (!hasPrevious) {
                return KvOutcome.UNCHANGED;
            }
            hasPrevious = false;
            previous = null;
            previousRevision = 0;
            data.delete(dataKey);
            return KvOutcome.CHANGED;
        }
        Entry e = entry.get();
        if (!hasPrevious || !KvValues.same(value, previous)) {
            hasPrevious = true;
            previous = value;
            previousRevision = e.revision();
            data.put(dataKey, value);
            return KvOutcome.CHANGED;
        }
        boolean reput = settings.onMatchingUpdate() && previousRevision > 0 && e.revision() > previousRevision;
        previousRevision = e.revision();
        return reput || settings.onSuccessfulGet() ? KvOutcome.CHANGED : KvOutcome.UNCHANGED;
    }

    private KvOutcome failed(String kind, String message) {
        failures.failed(kind, message);
        return KvOutcome.ERROR;
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
