package dev.tend.kv.contract;

import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.WatchListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/**
 * Records every call a watch makes, in order, and lets a test wait for a condition on them. Waiting uses the
 * recorder's monitor (no sleeps) and gives up after a generous timeout with a dump of what arrived.
 */
public class WatchRecorder implements WatchListener {

    /** One listener call. Exactly one of the fields is set, or none for caught-up / end. */
    public record Event(Kind kind, Entry entry, KvException error) {
        @Override
        public String toString() {
            return switch (kind) {
                case ENTRY -> KvContractSupport.show(entry) + " #" + entry.revision();
                case CAUGHT_UP -> "<caught up>";
                case ERROR -> "<error " + error + ">";
                case END -> "<end>";
            };
        }
    }

    public enum Kind { ENTRY, CAUGHT_UP, ERROR, END }

    private final Duration timeout;
    private final List<Event> events = new ArrayList<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private volatile boolean overlapped;

    public WatchRecorder(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void onEntry(Entry entry) {
        record(new Event(Kind.ENTRY, entry, null));
    }

    @Override
    public void onCaughtUp() {
        record(new Event(Kind.CAUGHT_UP, null, null));
    }

    @Override
    public void onError(KvException error) {
        record(new Event(Kind.ERROR, null, error));
    }

    @Override
    public void onEnd() {
        record(new Event(Kind.END, null, null));
    }

    private void record(Event event) {
        if (inCall.incrementAndGet() > 1) {
            overlapped = true;
        }
        try {
            synchronized (this) {
                events.add(event);
                notifyAll();
            }
        } finally {
            inCall.decrementAndGet();
        }
    }

    // ---- views

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Every entry delivered, duplicates included, in delivery order. */
    public synchronized List<Entry> entries() {
        return events.stream().filter(e -> e.kind == Kind.ENTRY).map(Event::entry).toList();
    }

    /** Entries delivered, each revision once (first delivery kept), in delivery order. */
    public synchronized List<Entry> distinctEntries() {
        Set<Long> seen = new HashSet<>();
        return entries().stream().filter(e -> seen.add(e.revision())).toList();
    }

    /** Entries delivered before the caught-up signal (all of them if it has not come). */
    public synchronized List<Entry> initialEntries() {
        List<Entry> out = new ArrayList<>();
        for (Event e : events) {
            if (e.kind == Kind.CAUGHT_UP) {
                break;
            }
            if (e.kind == Kind.ENTRY) {
                out.add(e.entry);
            }
        }
        return out;
    }

    /** Entries delivered after the caught-up signal. */
    public synchronized List<Entry> liveEntries() {
        List<Entry> out = new ArrayList<>();
        boolean caughtUp = false;
        for (Event e : events) {
            if (e.kind == Kind.CAUGHT_UP) {
                caughtUp = true;
            } else if (caughtUp && e.kind == Kind.ENTRY) {
                out.add(e.entry);
            }
        }
        return out;
    }

    public synchronized long count(Kind kind) {
        return events.stream().filter(e -> e.kind == kind).count();
    }

    public synchronized List<KvException> errors() {
        return events.stream().filter(e -> e.kind == Kind.ERROR).map(Event::error).toList();
    }

    public synchronized boolean hasRevision(long revision) {
        return events.stream().anyMatch(e -> e.kind == Kind.ENTRY && e.entry.revision() == revision);
    }

    /** True if the listener was ever called while another call for this watch was still running. */
    public boolean callsOverlapped() {
        return overlapped;
    }

    // ---- waiting

    /** Waits until the condition holds on this recorder, failing with what arrived after the timeout. */
    public void await(String what, Predicate<WatchRecorder> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.test(this)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("watch: timed out after " + timeout.toSeconds() + " s waiting for " + what
                            + "; received " + events);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted while waiting for " + what);
                }
            }
        }
    }

    public void awaitCaughtUp() {
        await("the caught-up signal", r -> r.count(Kind.CAUGHT_UP) > 0);
    }

    /** Waits until the entry with this revision has been delivered. */
    public void awaitRevision(long revision) {
        await("revision " + revision, r -> r.hasRevision(revision));
    }

    /** Waits for the watch to end, by onEnd or onError (so an unexpected error fails fast, not by timeout). */
    public void awaitEnd() {
        await("the watch to end", r -> r.count(Kind.END) + r.count(Kind.ERROR) > 0);
    }

    @Override
    public synchronized String toString() {
        return events.toString();
    }
}
