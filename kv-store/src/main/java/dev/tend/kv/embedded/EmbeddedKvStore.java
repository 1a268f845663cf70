package dev.tend.kv.embedded;

import dev.tend.kv.BackendGuarantees;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketExistsException;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.StorageType;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.kv.spi.KvStoreOptions;
import dev.tend.kv.spi.StatsSource;
import dev.tend.kv.support.DaemonThreads;
import dev.tend.kv.support.FileModes;
import dev.tend.kv.support.OnDemandPool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The embedded store: a directory with one sub-directory per bucket. Several processes may open the same
 * directory at once; they coordinate only through the files (see {@link BucketEngine}).
 */
public final class EmbeddedKvStore implements KvStore, StatsSource {
    private static final LazyLogger LOG = new LazyLogger(EmbeddedKvStore.class);
    /** How often watched buckets are checked when the file system's events are missed (the fallback). */
    static final long POLL_INTERVAL_MILLIS = 1000;
    /** How often long-lived stores expire, compact and snapshot their open buckets. */
    static final long MAINTENANCE_INTERVAL_MILLIS = 30_000;
    /**
     * The threads of the store's own watch executor ({@code tend-kv-watch-<n>}): every watch of the store delivers on
     * them, each one drain at a time, and each bucket's shared reader ({@link FeedTail}) reads there. Started as work
     * comes when none of them is free ({@link OnDemandPool}) and ended after {@link #WATCH_THREAD_IDLE_SECONDS} idle.
     * A listener that blocks holds one of them: with this many blocked, the other watches wait (give the store an
     * executor of your own for such listeners).
     */
    static final int WATCH_THREADS = 4;
    static final long WATCH_THREAD_IDLE_SECONDS = 30;
    /** A restore writes and forces its entries in chunks of about this many bytes. */
    private static final long RESTORE_CHUNK_BYTES = 4L * 1024 * 1024;

    private final Path root;
    private final StorageIo io;
    private final FileModes modes;
    private final Clock clock;
    /** Monotonic nanoseconds, for how long ago something was checked ({@link BucketEngine#isCurrent}). */
    private final LongSupplier ticker;
    private final boolean durable;
    /** False once the directory is known to be read-only; a store that does not exist yet may be created. */
    private volatile boolean writable;
    // The executors, the file-system watcher and the periodic tasks start only when something needs them, so a
    // short-lived process (one `tend kv get`) starts no thread: the watch executor on the first watch, the
    // scheduler with the maintenance task when the first bucket loads its index, the poll on the first watch.
    private final Object background = new Object();
    private ExecutorService watchExecutor;
    private ScheduledExecutorService scheduler;
    private final boolean ownsWatchExecutor;
    private final boolean ownsScheduler;
    private final Map<String, BucketEngine> engines = new ConcurrentHashMap<>();
    private final EngineStats stats = new EngineStats(engines.values());
    private final Object openLock = new Object();
    private final NotifyFileWatcher directoryWatcher;
    private ScheduledFuture<?> poller;
    private ScheduledFuture<?> maintenance;
    private volatile boolean closed;

    /** Opens (creating if needed) the store in {@code root}. */
    EmbeddedKvStore(Path root, KvStoreOptions options, StorageIo io) {
        this(root, options, io, new SystemTicker());
    }

    /** As above, measuring intervals with {@code ticker} (monotonic nanoseconds), which tests move by hand. */
    EmbeddedKvStore(Path root, KvStoreOptions options, StorageIo io, LongSupplier ticker) {
        this.root = root.toAbsolutePath().normalize();
        this.io = io;
        this.modes = new FileModes(options.storeMode());
        this.clock = options.clock();
        this.ticker = ticker;
        this.durable = options.durability() == Durability.DURABLE;
        this.writable = checkRoot(this.root);
        this.ownsWatchExecutor = options.watchExecutor() == null;
        this.watchExecutor = options.watchExecutor();
        this.ownsScheduler = options.scheduler() == null;
        this.scheduler = options.scheduler();
        this.directoryWatcher = new NotifyFileWatcher(named("tend-kv-fswatch"));
    }

    /** The scheduler, created on first use. */
    private ScheduledExecutorService scheduler() {
        synchronized (background) {
            if (scheduler == null) {
                if (closed) {
                    throw new java.util.concurrent.RejectedExecutionException("the store is closed");
                }
                scheduler = Executors.newSingleThreadScheduledExecutor(named("tend-kv-maintenance"));
            }
            return scheduler;
        }
    }

    /**
     * Starts the periodic maintenance of open buckets (expiry, compaction, snapshots) once a bucket has loaded its
     * index: a process that only reads a key or two from the snapshot has nothing to maintain.
     */
    void indexLoaded() {
        synchronized (background) {
            if (maintenance == null && !closed) {
                maintenance = scheduler().scheduleWithFixedDelay(this::maintainAll, MAINTENANCE_INTERVAL_MILLIS,
                        MAINTENANCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Starts the fallback poll of watched buckets on the first watch. */
    private void startPoll() {
        synchronized (background) {
            if (poller == null && !closed) {
                poller = scheduler().scheduleWithFixedDelay(this::pollWatched, POLL_INTERVAL_MILLIS,
                        POLL_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Checks the store's directory without creating it: only creating a bucket creates the store, so a read
     * against a mistyped path leaves nothing behind.
     */
    private static boolean checkRoot(Path root) {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new StoreException("the store path " + root + " exists and is not a directory");
        }
        return !Files.exists(root) || Files.isWritable(root);
    }

    private void createRoot() {
        try {
            modes.createDirectories(root);
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create the store directory " + root + ": permission denied");
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("the store path " + root + " exists and is not a directory");
        } catch (IOException e) {
            throw new StoreException("cannot create the store directory " + root + ": " + e.getMessage());
        }
        writable = Files.isWritable(root);
    }

    private static ThreadFactory named(String prefix) {
        return new DaemonThreads(prefix);
    }

    /** {@link System#nanoTime()}; a class rather than a lambda for the same reason as {@link DaemonThreads}. */
    private static final class SystemTicker implements LongSupplier {
        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }

    // ---- what engines need ----

    StorageIo io() {
        return io;
    }

    /** How the store's files and directories are created. */
    FileModes fileModes() {
        return modes;
    }

    boolean durable() {
        return durable;
    }

    boolean writable() {
        return writable;
    }

    @Override
    public EngineStats stats() {
        return stats;
    }

    long nowNanos() {
        return Times.nanos(clock.instant());
    }

    /** Monotonic nanoseconds. */
    long ticks() {
        return ticker.getAsLong();
    }

    ExecutorService watchExecutor() {
        synchronized (background) {
            if (watchExecutor == null) {
                if (closed) {
                    throw new StoreClosedException("the store " + root + " is closed");
                }
                watchExecutor = new OnDemandPool(WATCH_THREADS, WATCH_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
                        named("tend-kv-watch"));
            }
            return watchExecutor;
        }
    }

    void scheduleMaintenance(BucketEngine engine) {
        try {
            scheduler().execute(engine::maintain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.get().debug("maintenance of {} not scheduled: the store is closing", engine.name);
        }
    }

    /** The bucket now has a watch: let the file system (or the poll) wake it when other processes write. */
    void watching(WatchFeed feed) {
        startPoll();
        directoryWatcher.register(feed);
    }

    /**
     * The live engine of a bucket, opened (or re-opened after the bucket was removed and created again, or its
     * directory replaced behind the store's back) on demand.
     */
    BucketEngine engine(String name) {
        checkOpen();
        BucketEngine e = engines.get(name);
        if (e != null && e.isCurrent()) {
            return e;
        }
        synchronized (openLock) {
            e = engines.get(name);
            if (e != null && e.isCurrent()) {
                return e;
            }
            if (e != null) {
                e.close();
                engines.remove(name);
            }
            Path dir = root.resolve(name);
            if (!Files.isRegularFile(dir.resolve(ConfigFile.NAME))) {
                throw new UnknownBucketException(name);
            }
            try {
                e = BucketEngine.open(this, name, dir);
            } catch (NoSuchFileException ex) {
                throw new UnknownBucketException(name);
            } catch (IOException ex) {
                throw new StoreException("cannot open bucket " + name + " in " + dir + ": " + ex.getMessage());
            }
            engines.put(name, e);
            return e;
        }
    }

    // ---- KvStore ----

    @Override
    public Bucket create(BucketConfig config) {
        checkOpen();
        checkSupported(config);
        String name = config.name();
        if (exists(name)) {
            return sameOrConflict(config);
        }
        createRoot();
        if (!writable) {
            throw new StoreException("cannot create bucket " + name + ": the store " + root + " is read-only");
        }
        removeLeftovers();
        Path tmp = root.resolve(LeftoverFiles.CREATING_PREFIX + UUID.randomUUID());
        boolean raced;
        try {
            modes.createDirectory(tmp);
            // Holding the new bucket's file lock until it is in place tells others that it is not abandoned.
            try (BucketLock creating = BucketLock.open(tmp, modes)) {
                boolean[] lost = new boolean[1];
                creating.runExclusive(() -> lost[0] = !fillAndMoveIntoPlace(tmp, config));
                raced = lost[0];
            }
        } catch (IOException e) {
            throw new StoreException("cannot create bucket " + name + " in " + root + ": " + reason(e));
        } finally {
            deleteTree(tmp);
        }
        if (raced) {
            return sameOrConflict(config);
        }
        LOG.get().debug("created bucket {} in {}", name, root);
        return new EmbeddedBucket(this, name);
    }

    /**
     * Writes a new bucket's files into {@code tmp} and renames it to the bucket's name; false when another process
     * created the bucket first.
     */
    private boolean fillAndMoveIntoPlace(Path tmp, BucketConfig config) throws IOException {
        ConfigFile.write(io, tmp, config);
        LogFormat.Header header = new LogFormat.Header(1, 0, 0, config);
        try (DataFile log = io.open(tmp.resolve("log-1.tkv"), true)) {
            log.write(header.encode(), 0);
            log.force();
        }
        try (HeadFile head = HeadFile.open(tmp, true, modes)) {
            head.write(new HeadFile.State(1, header.length(), false));
        }
        modes.create(tmp.resolve(NotifyFile.NAME)).close();
        io.syncDirectory(tmp);
        try {
            Files.move(tmp, root.resolve(config.name()), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            return false;
        }
        io.syncDirectory(root);
        return true;
    }

    /** Removes what crashed creations and removals left in the store's directory; a failure leaves it for later. */
    private void removeLeftovers() {
        try {
            LeftoverFiles.removeFromStore(root);
        } catch (IOException e) {
            LOG.get().debug("leftovers in {} not removed: {}", root, e.toString());
        }
    }

    private Bucket sameOrConflict(BucketConfig wanted) {
        BucketConfig existing = engine(wanted.name()).config();
        if (existing.equals(wanted)) {
            return new EmbeddedBucket(this, wanted.name());
        }
        throw new BucketExistsException("bucket " + wanted.name() + " already exists with a different configuration ("
                + ConfigDiff.describe(existing, wanted) + "); change it with an update");
    }

    private static void checkSupported(BucketConfig c) {
        if (c.replicas() != 1) {
            throw new UnsupportedFeatureException("the embedded store keeps one copy of each bucket, so replicas "
                    + c.replicas() + " is not possible; use the NATS backend (--store nats://...) for replicas");
        }
        if (c.mirror() != null) {
            throw new UnsupportedFeatureException("mirrors (read replicas) need the NATS backend (--store nats://...)");
        }
        if (c.storage() == StorageType.MEMORY) {
            throw new UnsupportedFeatureException("memory storage needs the NATS backend (--store nats://...); the "
                    + "embedded store keeps buckets in files");
        }
    }

    @Override
    public Bucket restore(BucketConfig config, Iterable<Entry> entries) {
        checkOpen();
        checkSupported(config);
        if (exists(config.name())) {
            throw new BucketExistsException("bucket " + config.name() + " already exists; remove it first or restore "
                    + "under another name");
        }
        create(config);
        BucketEngine engine = engine(config.name());
        List<Entry> chunk = new ArrayList<>();
        long bytes = 0;
        try {
            for (Entry e : entries) {
                chunk.add(e);
                bytes += e.value().length + e.key().length();
                if (bytes >= RESTORE_CHUNK_BYTES) {
                    engine.appendRestored(chunk);
                    chunk.clear();
                    bytes = 0;
                }
            }
            if (!chunk.isEmpty()) {
                engine.appendRestored(chunk);
            }
        } catch (IOException e) {
            throw engine.ioFailure("restore", e);
        }
        return new EmbeddedBucket(this, config.name());
    }

    @Override
    public Bucket update(BucketConfig config) {
        checkOpen();
        checkSupported(config);
        BucketEngine e = engine(config.name());
        try {
            e.updateConfig(config);
        } catch (IOException ex) {
            throw e.ioFailure("update", ex);
        }
        return new EmbeddedBucket(this, config.name());
    }

    @Override
    public Bucket bucket(String name) {
        checkOpen();
        Names.checkBucketName(name);
        engine(name);
        return new EmbeddedBucket(this, name);
    }

    @Override
    public boolean exists(String name) {
        checkOpen();
        return Names.isValidBucketName(name) && Files.isRegularFile(root.resolve(name).resolve(ConfigFile.NAME));
    }

    @Override
    public List<String> bucketNames() {
        checkOpen();
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return names;
        }
        // A directory stream rather than Files.list and a lambda, which cost a short command milliseconds to set up.
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                String n = d.getFileName().toString();
                if (Names.isValidBucketName(n) && Files.isRegularFile(d.resolve(ConfigFile.NAME))) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot list the store directory " + root + ": " + reason(e));
        } catch (DirectoryIteratorException e) {
            throw new StoreException("cannot list the store directory " + root + ": " + reason(e.getCause()));
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    @Override
    public void delete(String name) {
        checkOpen();
        Names.checkBucketName(name);
        BucketEngine e = engine(name);
        try {
            e.removeBucket();
        } catch (IOException ex) {
            throw e.ioFailure("remove", ex);
        }
        Path trash = root.resolve(LeftoverFiles.DELETING_PREFIX + UUID.randomUUID());
        try {
            Files.move(root.resolve(name), trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException ex) {
            throw new StoreException("cannot remove bucket " + name + ": " + reason(ex));
        } finally {
            engines.remove(name, e);
            e.close();
        }
        deleteTree(trash);
    }

    @Override
    public BackendGuarantees guarantees() {
        // Built when asked rather than at class initialisation: a one-shot read never asks.
        return BackendGuarantees.builder()
                .readYourWrites(true)
                .atomicCreate(true)
                .exactlyOnceWatch(true)
                .preservesRevisions(true)
                .strictBucketSize(true)
                .build(); // one host: no replicas, mirrors or memory storage
    }

    @Override
    public String backend() {
        return "embedded";
    }

    @Override
    public String url() {
        return root.toUri().toString();
    }

    public Path directory() {
        return root;
    }

    /**
     * The keys {@code bucket(bucket).keys(filters)} returns, each followed by {@code '\n'}, as ASCII bytes (keys are
     * ASCII) between the buffer's position and limit; the same exceptions. For a command that writes the list out:
     * where the bucket's sorted keys file answers (docs/embedded-engine.md), no string is made of each key.
     */
    public ByteBuffer keyLines(String bucket, List<String> filters) {
        checkOpen();
        Names.checkBucketName(bucket);
        BucketEngine e = engine(bucket);
        return e.keyLines(KeyFilter.of(filters));
    }

    /** Verifies a bucket's files (checksums, framing, revision order, snapshot) without changing them. */
    public CheckReport check(String bucket) {
        checkOpen();
        return BucketCheck.run(io, root, bucket, modes);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        ScheduledExecutorService startedScheduler;
        ExecutorService startedWatchExecutor;
        synchronized (background) {
            closed = true;
            if (poller != null) {
                poller.cancel(false);
            }
            if (maintenance != null) {
                maintenance.cancel(false);
            }
            startedScheduler = scheduler;
            startedWatchExecutor = watchExecutor;
        }
        directoryWatcher.close();
        for (BucketEngine e : engines.values()) {
            e.close();
        }
        engines.clear();
        if (ownsScheduler && startedScheduler != null) {
            startedScheduler.shutdown();
        }
        if (ownsWatchExecutor && startedWatchExecutor != null) {
            startedWatchExecutor.shutdown();
            try {
                // Let watches deliver their end; a listener that blocks does not hold up the close for long.
                startedWatchExecutor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreClosedException("the store " + root + " is closed");
        }
    }

    /**
     * The fallback for what the file system does not report: wakes watches behind the head, and ends those whose
     * bucket's directory was removed or replaced (a directory renamed away raises no event the watcher follows).
     */
    private void pollWatched() {
        for (BucketEngine e : engines.values()) {
            WatchFeed feed = e.watchFeedIfStarted();
            if (feed != null && feed.hasWatches()) {
                feed.checkBucketFiles();
                feed.signalBehindHead();
            }
        }
    }

    private void maintainAll() {
        for (BucketEngine e : engines.values()) {
            e.maintain();
        }
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Deletes {@code p} and everything under it; another process deleting the same tree meanwhile is fine. */
    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    LOG.get().warn("could not remove {}: {}", x, e.toString());
                }
            });
        } catch (java.io.UncheckedIOException e) {
            failedToRemove(p, e.getCause());
        } catch (IOException e) {
            failedToRemove(p, e);
        }
    }

    private static void failedToRemove(Path p, IOException e) {
        if (e instanceof NoSuchFileException) {
            LOG.get().debug("{} went while it was being removed: {}", p, e.toString());
        } else {
            LOG.get().warn("could not remove {}: {}", p, e.toString());
        }
    }
}
