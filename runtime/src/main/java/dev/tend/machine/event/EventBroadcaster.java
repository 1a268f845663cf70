package dev.tend.machine.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans events out to subscribers that may be slow (a control-socket client on a bad link) without ever making a
 * machine wait: each subscriber has its own bounded queue and its own delivery thread ({@code tend-events-N}). A
 * subscriber whose queue fills up is told (its overflow callback runs once, on the publishing thread, and must not
 * block) and dropped; it can subscribe again. Closing the broadcaster stops every delivery thread. Thread-safe.
 */
public final class EventBroadcaster implements EventSink, AutoCloseable {

    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final int capacity;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private volatile boolean closed;

    public EventBroadcaster() {
        this(DEFAULT_QUEUE_CAPACITY);
    }

    /** @param queueCapacity how many events a subscriber may fall behind before it is dropped */
    public EventBroadcaster(int queueCapacity) {
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queue capacity must be positive, not " + queueCapacity);
        }
        this.capacity = queueCapacity;
    }

    /** As {@link #subscribe(EventSink, Runnable)}, with no overflow callback (the drop is logged). */
    public AutoCloseable subscribe(EventSink subscriber) {
        return subscribe(subscriber, () -> { });
    }

    /**
     * Delivers every event published from now on to {@code subscriber}, in order, on a thread of its own, until the
     * returned handle is closed or the subscriber falls {@code queueCapacity} events behind.
     *
     * @param onOverflow runs once if the subscriber is dropped for falling behind, on the publishing thread: it must be
     *                   quick (e.g. close the client's connection)
     * @throws IllegalStateException when the broadcaster is closed
     */
    public AutoCloseable subscribe(EventSink subscriber, Runnable onOverflow) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(onOverflow, "onOverflow");
        if (closed) {
            throw new IllegalStateException("the event broadcaster is closed");
        }
        Subscriber s = new Subscriber(subscriber, onOverflow, "tend-events-" + threadNumber.incrementAndGet());
        subscribers.add(s);
        s.thread.start();
        if (closed) { // closed while we were adding: do not leave a thread behind
            s.close();
            throw new IllegalStateException("the event broadcaster is closed");
        }
        return s;
    }

    /** How many subscribers are receiving events. */
    public int subscriberCount() {
        return subscribers.size();
    }

    @Override
    public void publish(MachineEvent event) {
        for (Subscriber s : subscribers) {
            s.offer(event);
        }
    }

    /** Stops every delivery thread (waiting a few seconds at most for each); later events go nowhere. */
    @Override
    public void close() {
        closed = true;
        for (Subscriber s : subscribers) {
            s.close();
        }
    }

    private final class Subscriber implements AutoCloseable, Runnable {
        private final EventSink sink;
        private final Runnable onOverflow;
        private final BlockingQueue<MachineEvent> queue = new ArrayBlockingQueue<>(capacity);
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Thread thread;

        Subscriber(EventSink sink, Runnable onOverflow, String threadName) {
            this.sink = sink;
            this.onOverflow = onOverflow;
            this.thread = new Thread(this, threadName);
            // Losing undelivered events at exit is fine; a forgotten subscriber must not keep the JVM alive.
            this.thread.setDaemon(true);
        }

        void offer(MachineEvent event) {
            if (!stopped.get() && !queue.offer(event)) {
                overflow();
            }
        }

        private void overflow() {
            if (!stop()) {
                return;
            }
            LOG.warn("event subscriber on {} fell {} events behind and was dropped", thread.getName(), capacity);
            try {
                onOverflow.run();
            } catch (RuntimeException e) {
                LOG.warn("overflow callback of {} failed: {}", thread.getName(), e.toString());
            }
        }

        /** Marks the subscriber stopped and wakes its thread; true for the caller that stopped it. */
        private boolean stop() {
            if (!stopped.compareAndSet(false, true)) {
                return false;
            }
            subscribers.remove(this);
            queue.clear();
            thread.interrupt();
            return true;
        }

        @Override
        public void run() {
            while (!stopped.get()) {
                MachineEvent event;
                try {
                    event = queue.take();
                } catch (InterruptedException e) {
                    continue; // stop() interrupts; the loop condition decides
                }
                try {
                    sink.publish(event);
                } catch (RuntimeException e) {
                    LOG.warn("event subscriber on {} failed: {}", thread.getName(), e.toString());
                }
            }
        }

        @Override
        public void close() {
            stop();
            if (Thread.currentThread() == thread) {
                return; // a subscriber closing itself from its own delivery
            }
            try {
                thread.join(STOP_WAIT_MILLIS);
                if (thread.isAlive()) {
                    LOG.warn("event subscriber on {} did not stop within {} s", thread.getName(),
                            TimeUnit.MILLISECONDS.toSeconds(STOP_WAIT_MILLIS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
