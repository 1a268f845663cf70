package dev.tend.governor;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.WrongRevisionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One governor on its bucket. Claims: a free slot with {@code create}, an expired claim with {@code update} at the
 * revision read; losing either race moves on to the next slot. Waits: {@link #enter} watches the slot keys so that a
 * release wakes it at once, and otherwise tries again when the oldest claim expires or the poll interval passes.
 */
final class KvGovernor implements Governor {

    private static final Logger LOG = LoggerFactory.getLogger(KvGovernor.class);

    /** The result of one try: the lease, or when the first held claim expires (null: none is held in range). */
    private record Attempt(Lease lease, Instant nextExpiry) {
    }

    private final String name;
    private final Bucket bucket;
    private final KvStore store;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;

    KvGovernor(String name, Bucket bucket, KvStore store, Clock clock, Sleeper sleeper, Duration pollInterval) {
        this.name = name;
        this.bucket = bucket;
        this.store = store;
        this.clock = clock;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public GovernorConfig config() {
        Optional<Entry> config = read(() -> bucket.get(GovernorKeys.CONFIG_KEY));
        if (config.isEmpty()) {
            throw new UnknownGovernorException(name);
        }
        return GovernorKeys.decode(name, config.get().value());
    }

    @Override
    public int replicas() {
        return read(() -> bucket.status().config().replicas());
    }

    @Override
    public Optional<Lease> tryEnter(String holder) {
        return Optional.ofNullable(attempt(holder).lease());
    }

    @Override
    public Lease enter(String holder, Duration maxWait, CompletionStage<?> cancel) throws InterruptedException {
        Instant deadline = clock.instant().plus(maxWait.isNegative() ? Duration.ZERO : maxWait);
        AtomicReference<CompletableFuture<Void>> changed = new AtomicReference<>(new CompletableFuture<>());
        AtomicBoolean cancelled = new AtomicBoolean();
        cancel.whenComplete((r, e) -> {
            cancelled.set(true);
            changed.get().complete(null);
        });
        Watch watch = watchSlots(changed);
        try {
            while (true) {
                CompletableFuture<Void> signal = new CompletableFuture<>();
                changed.set(signal); // before the try, so that a release during it wakes the wait after it
                if (cancelled.get()) {
                    throw new CancellationException("waiting for a slot in governor " + name + " was cancelled");
                }
                Attempt attempt = attempt(holder);
                if (attempt.lease() != null) {
                    return attempt.lease();
                }
                Instant now = clock.instant();
                if (!now.isBefore(deadline)) {
                    throw new GovernorTimeoutException(name, maxWait);
                }
                Duration wait = min(pollInterval, Duration.between(now, deadline));
                if (attempt.nextExpiry() != null) {
                    Duration untilExpiry = Duration.between(now, attempt.nextExpiry());
                    wait = min(wait, untilExpiry.isNegative() || untilExpiry.isZero() ? Duration.ofMillis(1)
                            : untilExpiry);
                }
                sleeper.sleep(wait, signal);
                if (cancelled.get()) {
                    throw new CancellationException("waiting for a slot in governor " + name + " was cancelled");
                }
            }
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    /** A watch of the slot keys that completes the current signal on every write; null when it cannot start. */
    private Watch watchSlots(AtomicReference<CompletableFuture<Void>> changed) {
        try {
            return bucket.watch(List.of(GovernorKeys.SLOT_FILTER), WatchOptions.defaults().withUpdatesOnly()
                    .withMetaOnly(), new Wakeups(changed));
        } catch (UnknownBucketException e) {
            throw new UnknownGovernorException(name);
        } catch (KvException e) {
            LOG.debug("governor {}: cannot watch its slots, polling every {}: {}", name, pollInterval, e.getMessage());
            return null;
        }
    }

    /** Completes the current signal on each write of a slot key. */
    private record Wakeups(AtomicReference<CompletableFuture<Void>> changed) implements WatchListener {
        @Override
        public void onEntry(Entry entry) {
            changed.get().complete(null);
        }

        @Override
        public void onCaughtUp() {
        }
    }

    /** One try: the lowest free slot, else the first expired claim; each race lost moves on to the next. */
    private Attempt attempt(String holder) {
        GovernorConfig config = config();
        byte[] value = holder.getBytes(StandardCharsets.UTF_8);
        Set<Integer> held = new HashSet<>();
        for (String key : read(() -> bucket.keys(List.of(GovernorKeys.SLOT_FILTER)))) {
            held.add(GovernorKeys.slotNumber(key));
        }
        for (int slot = 1; slot <= config.capacity(); slot++) {
            if (!held.contains(slot)) {
                Lease lease = create(slot, value);
                if (lease != null) {
                    return new Attempt(lease, null);
                }
            }
        }
        Instant nextExpiry = null;
        Instant now = clock.instant();
        for (int slot = 1; slot <= config.capacity(); slot++) {
            int s = slot;
            Optional<Entry> claim = read(() -> bucket.get(GovernorKeys.slotKey(s)));
            if (claim.isEmpty()) {
                Lease lease = create(slot, value); // released since the keys were read
                if (lease != null) {
                    return new Attempt(lease, null);
                }
                continue;
            }
            Instant expires = claim.get().created().plus(config.expire());
            if (!expires.isAfter(now)) {
                Lease lease = takeOver(slot, claim.get(), value);
                if (lease != null) {
                    return new Attempt(lease, null);
                }
            } else if (nextExpiry == null || expires.isBefore(nextExpiry)) {
                nextExpiry = expires;
            }
        }
        return new Attempt(null, nextExpiry);
    }

    private Lease create(int slot, byte[] holder) {
        String key = GovernorKeys.slotKey(slot);
        try {
            long revision = read(() -> bucket.create(key, holder));
            return lease(slot, key, revision);
        } catch (KeyExistsException e) {
            return null;
        }
    }

    private Lease takeOver(int slot, Entry expired, byte[] holder) {
        String key = GovernorKeys.slotKey(slot);
        try {
            long revision = read(() -> bucket.update(key, holder, expired.revision()));
            LOG.info("governor {}: took over slot {}, whose claim by {} expired (claimed {})", name, slot,
                    expired.valueAsString(), expired.created());
            return lease(slot, key, revision);
        } catch (WrongRevisionException e) {
            return null;
        }
    }

    private Lease lease(int slot, String key, long revision) {
        Instant since = read(() -> bucket.get(key, revision)).map(Entry::created).orElseGet(clock::instant);
        return new KvLease(name, bucket, slot, key, revision, since);
    }

    @Override
    public List<Claim> claims() {
        GovernorConfig config = config();
        Instant now = clock.instant();
        List<Claim> claims = new ArrayList<>();
        for (String key : read(() -> bucket.keys(List.of(GovernorKeys.SLOT_FILTER)))) {
            int slot = GovernorKeys.slotNumber(key);
            if (slot == 0) {
                continue;
            }
            read(() -> bucket.get(key)).ifPresent(e -> claims.add(claim(slot, e, config, now)));
        }
        claims.sort((a, b) -> Integer.compare(a.slot(), b.slot()));
        return List.copyOf(claims);
    }

    private static Claim claim(int slot, Entry entry, GovernorConfig config, Instant now) {
        return new Claim(slot, entry.valueAsString(), entry.created(), entry.revision(),
                !entry.created().plus(config.expire()).isAfter(now));
    }

    @Override
    public Optional<Claim> evict(int slot) {
        GovernorConfig config = config();
        String key = GovernorKeys.slotKey(slot);
        while (true) {
            Optional<Entry> entry = read(() -> bucket.get(key));
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            try {
                read(() -> bucket.delete(key, entry.get().revision()));
                return Optional.of(claim(slot, entry.get(), config, clock.instant()));
            } catch (WrongRevisionException e) {
                // claimed anew meanwhile: evict that claim
            }
        }
    }

    /** A store call on the governor's bucket; its removal reads as the governor's. */
    private <T> T read(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (UnknownBucketException e) {
            throw new UnknownGovernorException(name);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "governor " + name + " on " + store.url();
    }
}
