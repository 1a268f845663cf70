package dev.tend.kv.embedded;


import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * Wakes a bucket's watches when another process writes: one {@link WatchService} (inotify on Linux) and one
 * thread per store, started on the first watch. Writers touch the bucket's {@code notify} file ({@link NotifyFile})
 * after publishing a commit; the store's slow poll covers whatever the file system does not report.
 */
final class NotifyFileWatcher implements AutoCloseable {
    private static final LazyLogger LOG = new LazyLogger(NotifyFileWatcher.class);

    private final ThreadFactory threads;
    private final Map<WatchKey, WatchFeed> keys = new ConcurrentHashMap<>();
    private final Map<WatchFeed, WatchKey> registered = new ConcurrentHashMap<>();
    private WatchService service;
    private boolean failed;
    private volatile boolean closed;

    NotifyFileWatcher(ThreadFactory threads) {
        this.threads = threads;
    }

    synchronized void register(WatchFeed feed) {
        if (closed || failed || registered.containsKey(feed)) {
            return;
        }
        try {
            if (service == null) {
                service = FileSystems.getDefault().newWatchService();
                threads.newThread(this::run).start();
            }
            WatchKey key = feed.dir().register(service, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_CREATE);
            keys.put(key, feed);
            registered.put(feed, key);
        } catch (IOException | UnsupportedOperationException e) {
            // inotify instances are limited per user; the periodic poll still delivers, only more slowly.
            failed = service == null;
            LOG.get().info("file system events unavailable for {} ({}); watches poll instead", feed.dir(), e.toString());
        }
    }

    private void run() {
        while (!closed) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            WatchFeed feed = keys.get(key);
            boolean relevant = false;
            for (WatchEvent<?> ev : key.pollEvents()) {
                Object ctx = ev.context();
                if (ev.kind() == StandardWatchEventKinds.OVERFLOW || ctx == null
                        || NotifyFile.NAME.equals(ctx.toString()) || HeadFile.NAME.equals(ctx.toString())) {
                    relevant = true;
                }
            }
            boolean valid = key.reset();
            if (feed != null) {
                if (!valid) {
                    // The directory is gone: removed by a delete (the head says so) or behind the store's back.
                    feed.checkBucketFiles();
                    feed.signalAll();
                } else if (relevant) {
                    feed.signalBehindHead();
                }
                if (!valid || !feed.isOpen()) {
                    keys.remove(key);
                    registered.remove(feed, key);
                    try {
                        key.cancel();
                    } catch (ClosedWatchServiceException e) {
                        // The store closed meanwhile: the JDK's poller refuses the cancel by throwing it here.
                        return;
                    }
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.get().debug("closing the watch service: {}", e.toString());
            }
        }
    }
}
