package dev.tend.machine.event;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.nats.NatsConnections;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes every event, as the same CloudEvents JSON the events file holds, on NATS ({@link NatsEventSubjects}), with
 * the headers {@value #IDENTITY_HEADER} and {@value #MACHINE_HEADER} for subscribers that filter without parsing.
 *
 * <p>Machines never wait for NATS: {@link #publish} only offers the event to a bounded queue, which one thread
 * ({@code tend-nats-events}) empties on a connection of its own. Before the first connection, and after jnats gives a
 * connection up, that thread connects again with a growing pause (1 s up to 30 s); meanwhile the queue holds the most
 * recent events up to its capacity. While jnats reconnects, its reconnect buffer (bounded, 8 MiB by default) holds them.
 * What does not fit is dropped. Each outage is logged once when it starts and once when publishing works again (after
 * a reconnect, once a round trip to the server succeeds), with the number of events dropped; a URL or options that can
 * never work are logged once and turn publishing off.
 * Thread-safe; {@link #close()} publishes what is queued (if connected), then closes the connection.
 */
public final class NatsEventSink implements EventSink, AutoCloseable {

    public static final String IDENTITY_HEADER = "Tend-Identity";
    public static final String MACHINE_HEADER = "Tend-Machine";
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(NatsEventSink.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Duration FINAL_FLUSH = Duration.ofSeconds(2);
    private static final Duration ROUND_TRIP = Duration.ofSeconds(5);

    /**
     * Opens a connection; throws when it cannot, an {@link InvalidInputException} or {@link IllegalArgumentException}
     * when it never will.
     */
    interface Connector {
        Connection connect();
    }

    private final Connector connector;
    private final NatsEventSubjects subjects;
    private final BlockingQueue<MachineEvent> queue;
    private final int capacity;
    private final Duration firstRetry;
    private final Thread thread;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set when an outage is logged; cleared (and logged) when publishing works again. */
    private final AtomicBoolean outage = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    /** Set at each reconnect: the publishing thread then checks that the connection really works (roundTrip). */
    private final AtomicBoolean checkAfterReconnect = new AtomicBoolean();
    /** Set while events are dropped because NATS is slower than the machines (not an outage). */
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final ConnectionListener listener = this::connectionEvent;
    /** Only the publishing thread changes it. */
    private volatile Connection connection;
    private volatile boolean disabled;
    /** Whether the subjects were logged (at the first connection). Publishing thread only. */
    private boolean announced;
    private final Object interruptLock = new Object();
    /** Guarded by interruptLock. */
    private boolean interruptible;

    private NatsEventSink(Connector connector, NatsEventSubjects subjects, int capacity, Duration firstRetry) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("queue capacity must be positive, not " + capacity);
        }
        this.connector = Objects.requireNonNull(connector, "connector");
        this.subjects = Objects.requireNonNull(subjects, "subjects");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.firstRetry = firstRetry;
        this.thread = new Thread(this::run, "tend-nats-events");
        // Undelivered events at exit are not worth keeping the JVM alive for; close() is the orderly way out.
        this.thread.setDaemon(true);
    }

    /**
     * Starts publishing to the NATS servers of {@code url} ({@code nats://host:port[,host:port...]}), connecting in the
     * background: the agent starts whether NATS is up or not.
     */
    public static NatsEventSink start(String url, ConnectionOptions options, NatsEventSubjects subjects) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        return start(() -> NatsConnections.connect(url, options), subjects, DEFAULT_QUEUE_CAPACITY, FIRST_RETRY);
    }

    static NatsEventSink start(Connector connector, NatsEventSubjects subjects, int capacity, Duration firstRetry) {
        NatsEventSink sink = create(connector, subjects, capacity, firstRetry);
        sink.begin();
        return sink;
    }

    /**
     * As {@link #start(String, ConnectionOptions, NatsEventSubjects)}, but connecting only from {@link #begin()}: the
     * agent makes it with its settings and begins once its logging is set, so that what the publisher logs on
     * connecting is not lost. Events given meanwhile are queued.
     */
    public static NatsEventSink create(String url, ConnectionOptions options, NatsEventSubjects subjects) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        return create(() -> NatsConnections.connect(url, options), subjects, DEFAULT_QUEUE_CAPACITY, FIRST_RETRY);
    }

    static NatsEventSink create(Connector connector, NatsEventSubjects subjects, int capacity, Duration firstRetry) {
        return new NatsEventSink(connector, subjects, capacity, firstRetry);
    }

    /** Starts connecting and publishing in the background; once only (later calls do nothing). */
    public synchronized void begin() {
        if (thread.getState() == Thread.State.NEW && !closing.get()) {
            thread.start();
        }
    }

    public NatsEventSubjects subjects() {
        return subjects;
    }

    /** How many events were dropped since the last outage ended (tests, status). */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void publish(MachineEvent event) {
        if (closing.get() || disabled) {
            return;
        }
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
            overflowed("machine events for NATS fell " + capacity + " events behind");
        }
    }

    /** Logs once that events are dropped while NATS is up but slower than the machines (an outage says it already). */
    private void overflowed(String message) {
        if (!outage.get() && overflowing.compareAndSet(false, true)) {
            LOG.warn("{}; events are dropped until it catches up (logged once)", message);
        }
    }

    private void run() {
        try {
            usableConnection(); // at once, so that a server that cannot be reached is reported at start
            while (true) {
                MachineEvent event;
                waiting(true);
                try {
                    if (closing.get()) {
                        break;
                    }
                    event = checkAfterReconnect.get() ? null : queue.take();
                } catch (InterruptedException e) {
                    continue; // close() or a reconnect interrupted the wait; the next round sees which
                } finally {
                    waiting(false);
                }
                if (event != null) {
                    deliver(event);
                } else if (checkAfterReconnect.compareAndSet(true, false) && connection != null) {
                    roundTrip(connection);
                }
            }
        } finally {
            shutDown();
        }
    }

    /**
     * Marks whether the publishing thread is in a wait that {@link #close()} may interrupt (taking from the queue,
     * connecting, pausing between attempts); never while jnats is publishing, which an interrupt could cut short.
     */
    private void waiting(boolean value) {
        synchronized (interruptLock) {
            interruptible = value;
            if (!value) {
                Thread.interrupted(); // an interrupt meant for the wait that just ended
            }
        }
    }

    /** Publishes one event, (re)connecting first when there is no usable connection. */
    private void deliver(MachineEvent event) {
        byte[] payload;
        try {
            payload = CloudEventsJson.encode(event);
        } catch (RuntimeException e) {
            LOG.warn("cannot encode event \"{}\" for NATS: {}", event, e.toString());
            return;
        }
        while (true) { // a second round only after jnats gave the connection up; connect() ends when closing
            Connection c = usableConnection();
            if (c == null) {
                dropped.incrementAndGet(); // closing, or publishing is off
                return;
            }
            try {
                c.publish(subjects.subject(event), headers(event), payload);
                if (queue.isEmpty() && overflowing.compareAndSet(true, false)) {
                    LOG.info("machine events for NATS caught up");
                }
                return;
            } catch (IllegalStateException e) {
                Connection.Status status = c.getStatus();
                if (status == Connection.Status.CLOSED) {
                    continue; // jnats gave the connection up: connect again and retry this event
                }
                dropped.incrementAndGet();
                if (status == Connection.Status.CONNECTED) {
                    overflowed("cannot publish machine events on NATS: " + e.getMessage()); // its queue is full
                } else {
                    trouble("cannot publish machine events on NATS: " + e.getMessage()); // reconnect buffer full
                }
                return;
            } catch (RuntimeException e) {
                dropped.incrementAndGet();
                if (!closing.get()) {
                    trouble("cannot publish machine events on NATS: " + e);
                }
                return;
            }
        }
    }

    /**
     * Checks a reconnected connection with a round trip, and reconnects it again when it does not answer: jnats 2.24
     * could leave its writer waiting on the reconnect queue after a reconnect, so that nothing published was sent
     * (nats.java issue 1522) until the server dropped the connection as stale minutes later. Tend is on 2.25 now;
     * the check stays, one round trip per reconnect, because a publisher cannot see such a stall any other way.
     */
    private void roundTrip(Connection c) {
        try {
            c.flush(ROUND_TRIP);
            recovered("reconnected to NATS");
        } catch (TimeoutException e) {
            if (c.getStatus() == Connection.Status.CONNECTED) {
                trouble("the NATS connection for machine events does not answer since it reconnected; reconnecting"
                        + " it again");
                try {
                    c.forceReconnect();
                } catch (IOException | RuntimeException f) {
                    LOG.debug("cannot force a reconnect: {}", f.toString());
                } catch (InterruptedException f) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("round trip after reconnecting failed: {}", e.toString());
        }
    }

    /** The connection, or a new one when there is none or jnats closed it; null when closing or disabled. */
    private Connection usableConnection() {
        Connection c = connection;
        if (c != null && c.getStatus() != Connection.Status.CLOSED) {
            return c;
        }
        if (c != null) {
            c.removeConnectionListener(listener);
            trouble("the NATS connection for machine events was closed");
            connection = null;
        }
        return disabled ? null : connect();
    }

    private Connection connect() {
        long waitNanos = firstRetry.toNanos();
        while (!closing.get()) {
            try {
                Connection c;
                waiting(true);
                try {
                    if (closing.get()) {
                        return null;
                    }
                    c = connector.connect();
                } finally {
                    waiting(false);
                }
                c.addConnectionListener(listener);
                connection = c;
                if (closing.get()) {
                    return null; // shutDown() closes it
                }
                recovered("connected to NATS");
                if (!announced) {
                    announced = true;
                    LOG.info("publishing machine events on NATS subjects {} and {}", subjects.prefix()
                            + ".transition", subjects.prefix() + ".watcher.<type>.state");
                }
                return c;
            } catch (InvalidInputException | IllegalArgumentException e) { // a bad URL or options: never works
                disabled = true;
                queue.clear();
                LOG.error("machine events are not published on NATS: {}", e.getMessage());
                return null;
            } catch (RuntimeException e) {
                if (closing.get()) {
                    return null;
                }
                trouble(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            waiting(true);
            try {
                if (closing.get()) {
                    return null;
                }
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                if (closing.get()) {
                    return null;
                }
            } finally {
                waiting(false);
            }
            waitNanos = Math.min(waitNanos * 2, MAX_RETRY.toNanos());
        }
        return null;
    }

    private void connectionEvent(Connection c, ConnectionListener.Events type) {
        switch (type) {
            case DISCONNECTED -> {
                if (!closing.get()) {
                    trouble("disconnected from NATS");
                }
            }
            // The outage ends when the publishing thread's round trip says so (see roundTrip).
            case RECONNECTED -> {
                checkAfterReconnect.set(true);
                wake();
            }
            default -> {
                // CLOSED is noticed by the publishing thread, which connects again; the others do not matter here.
            }
        }
    }

    /** Interrupts the publishing thread if it waits for an event, so that it looks at checkAfterReconnect. */
    private void wake() {
        synchronized (interruptLock) {
            if (interruptible) {
                thread.interrupt();
            }
        }
    }

    /** Logs the start of an outage once. */
    private void trouble(String message) {
        if (outage.compareAndSet(false, true)) {
            LOG.warn("{}; until this is over, events for NATS wait in a bounded buffer and are dropped when it is"
                    + " full (logged once)", message);
        } else {
            LOG.debug("{}", message);
        }
    }

    /** Logs the end of an outage; false when there was none. */
    private boolean recovered(String message) {
        if (!outage.compareAndSet(true, false)) {
            return false;
        }
        long lost = dropped.getAndSet(0);
        LOG.info("{}; {} machine event{} dropped meanwhile", message, lost, lost == 1 ? " was" : "s were");
        return true;
    }

    /** The identity and machine as headers; a value NATS headers cannot carry is left out. */
    private static Headers headers(MachineEvent event) {
        Headers headers = new Headers();
        put(headers, IDENTITY_HEADER, event.identity());
        put(headers, MACHINE_HEADER, event.machine());
        return headers;
    }

    private static void put(Headers headers, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            headers.put(name, value);
        } catch (IllegalArgumentException e) {
            LOG.debug("header {} left out: {}", name, e.getMessage());
        }
    }

    /** On the publishing thread at its end: publish what is queued if connected, then close the connection. */
    private void shutDown() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        c.removeConnectionListener(listener);
        try {
            if (c.getStatus() == Connection.Status.CONNECTED) {
                MachineEvent event;
                while ((event = queue.poll()) != null) {
                    c.publish(subjects.subject(event), headers(event), CloudEventsJson.encode(event));
                }
                c.flush(FINAL_FLUSH);
            }
        } catch (TimeoutException | RuntimeException e) {
            LOG.debug("machine events not flushed to NATS at close: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops publishing: what is queued is published if connected, then the connection closes. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        wake();
        try {
            thread.join(STOP_WAIT.toMillis());
            if (thread.isAlive()) {
                LOG.warn("the NATS events publisher did not stop within {} s", STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "NATS events on " + subjects.all();
    }
}
