package dev.tend.cli.kv;

import dev.tend.cli.command.DurationConverter;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.cli.output.TimeFormat;
import dev.tend.cli.output.Values;
import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.FellBehindException;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.Operation;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code tend kv watch BUCKET [KEY|FILTER]}: the retained history of the matching keys, then live writes, until
 * interrupted (Ctrl-C, SIGTERM), the bucket is removed, or {@code --timeout} passes. {@code --once} is a waiting
 * get: the key's value now, or the first one written later. A bucket removed or replaced behind the store's back ends
 * the watch with {@code BucketReplacedException}, a store error like any other: one line, exit 3.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Shows the matching keys' history, then every write as it happens.")
final class KvWatch extends KvSubcommand {

    private static final Object CAUGHT_UP = new Object();
    private static final Object END = new Object();
    /**
     * How many events wait for the printing thread at most: the watch's thread waits while the queue is full, so a
     * watch of a large bucket holds a few entries rather than all of them (100,000 keys: the heap peaked at 43 MiB).
     * The command's only watch, it holds one of the store's watch threads meanwhile.
     */
    static final int QUEUED = 1024;
    /** How many entries are printed between flushes while more are queued; each is flushed when none are. */
    static final int FLUSH_EVERY = 256;

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "KEY|FILTER", arity = "0..1",
            description = "A key, or a filter with * (one token) and > (the rest); default: every key.")
    String filter;

    @Option(names = "--latest", description = "Start with each key's current entry only, not its history.")
    boolean latest;

    @Option(names = "--updates-only", description = "Show only writes made from now on.")
    boolean updatesOnly;

    @Option(names = "--once", description = "Print the value (raw) now if there is one, else the first one written"
            + " later, and exit; deletes and purges are ignored.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Stop after this long: with --once an error (exit 1) when nothing came, else exit 0.")
    Duration timeout;

    @Option(names = "--json", description = "One JSON entry per line.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Names.checkBucketName(bucket);
        List<String> filters = filter == null ? List.of() : List.of(KeyFilter.of(filter).pattern());
        if (latest && updatesOnly) {
            throw new InvalidInputException("--latest and --updates-only cannot be used together");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidInputException("--timeout must be more than 0");
        }
        WatchOptions options;
        if (once) {
            options = (updatesOnly ? WatchOptions.defaults().withUpdatesOnly() : WatchOptions.defaults())
                    .withIgnoreDeletes();
        } else if (updatesOnly) {
            options = WatchOptions.defaults().withUpdatesOnly();
        } else if (latest) {
            options = WatchOptions.defaults();
        } else {
            options = WatchOptions.defaults().withIncludeHistory();
        }
        TimeFormat times = times();
        BlockingQueue<Object> events = new LinkedBlockingQueue<>(QUEUED);
        // Set as the command ends: a listener waiting for room in the queue gives up its event.
        AtomicBoolean stopping = new AtomicBoolean();
        KvStore store = openStore();
        Watch[] watch = new Watch[1];
        Thread stopper = new Thread(() -> {
            stopping.set(true);
            Watch w = watch[0];
            if (w != null) {
                w.close();
            }
            store.close();
            out().flush();
        }, "tend-watch-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            Bucket b = store.bucket(bucket);
            AtomicBoolean active = new AtomicBoolean(true);
            watch[0] = b.watch(filters, options, listener(events, active, stopping));
            long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
            long lastRevision = 0;
            int unflushed = 0;
            while (true) {
                Object event;
                if (timeout == null) {
                    event = events.take();
                } else {
                    event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                if (event == null) {
                    if (once) {
                        ctx().err().println("tend: timeout");
                        ctx().err().flush();
                        return ExitCodes.NOT_FOUND;
                    }
                    return ExitCodes.OK;
                }
                if (event instanceof Entry e) {
                    lastRevision = Math.max(lastRevision, e.revision());
                    if (once) {
                        if (e.operation() == Operation.PUT) {
                            ctx().writeBytes(e.value());
                            return ExitCodes.OK;
                        }
                    } else {
                        print(e, times);
                        unflushed++;
                    }
                } else if (event == END) {
                    return ExitCodes.OK;
                } else if (event instanceof FellBehindException && !once) {
                    // Compaction removed entries this watch had not shown yet: carry on from what is retained.
                    ctx().err().println("tend: the watch fell behind the store's compaction; resuming from"
                            + " revision " + (lastRevision + 1));
                    ctx().err().flush();
                    active.set(false);
                    watch[0].close();
                    events.clear();
                    active = new AtomicBoolean(true);
                    watch[0] = b.watch(filters, new WatchOptions(false, false, false, false, lastRevision + 1),
                            listener(events, active, stopping));
                } else if (event instanceof KvException error) {
                    throw error;
                }
                // Printed lines are flushed once nothing more is queued (each live write as it comes), and every
                // FLUSH_EVERY lines while catching up.
                if (unflushed > 0 && (unflushed >= FLUSH_EVERY || events.isEmpty())) {
                    unflushed = 0;
                    if (!flush()) {
                        return ExitCodes.OK; // standard output was closed, e.g. `tend kv watch CFG | head -1`
                    }
                }
            }
        } finally {
            stopping.set(true);
            out().flush();
            Watch w = watch[0];
            if (w != null) {
                w.close();
            }
            store.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is stopping (Ctrl-C, SIGTERM): the hook does the same.
            }
        }
    }

    /**
     * Queues a watch's events for the main thread, waiting while the queue is full; once {@code active} is false
     * (this watch was replaced) or {@code stopping} true (the command ends) it drops them.
     */
    private static WatchListener listener(BlockingQueue<Object> events, AtomicBoolean active,
            AtomicBoolean stopping) {
        return new WatchListener() {
            @Override
            public void onEntry(Entry entry) {
                add(entry);
            }

            @Override
            public void onCaughtUp() {
                add(CAUGHT_UP);
            }

            @Override
            public void onError(KvException error) {
                add(error);
            }

            @Override
            public void onEnd() {
                add(END);
            }

            private void add(Object event) {
                try {
                    while (active.get() && !stopping.get() && !events.offer(event, 50, TimeUnit.MILLISECONDS)) {
                        // The printing thread takes them; the checks above end the wait when it no longer does.
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** Prints one entry, without flushing. */
    private void print(Entry e, TimeFormat times) {
        if (json) {
            out().println(Json.compact(Json.entry(e)));
        } else {
            String line = "[" + times.watch(e.created()) + "] " + e.operation().name() + " " + e.bucket() + "."
                    + e.key();
            if (e.operation() == Operation.PUT) {
                line += ": " + Values.display(e.value(), true);
            }
            out().println(line);
        }
    }

    /** Flushes standard output; false when it can no longer be written. */
    private boolean flush() {
        return !out().checkError(); // flushes first
    }
}
