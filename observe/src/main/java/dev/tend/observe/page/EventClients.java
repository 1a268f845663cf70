package dev.tend.observe.page;

import dev.tend.machine.event.MachineEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The page's open event streams ({@code /events}): each client has a bounded queue and a thread of its own,
 * {@code tend-status-events-N}, that writes its events; publishing only offers to the queues, so a slow browser never
 * slows a machine. A client that falls {@value #QUEUE} events behind is dropped: its queue is emptied and its thread
 * ends the stream once its current write returns (its browser reconnects and fetches the page again; a client that
 * reads nothing at all keeps its thread until its connection ends). At most {@value #MAX_CLIENTS} streams are open at
 * once.
 */
final class EventClients implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventClients.class);

    static final int MAX_CLIENTS = 32;
    static final int QUEUE = 1024;
    /** How long {@link #close} waits for all the streams' threads together. */
    static final long CLOSE_WAIT_MILLIS = 2_000;

    /** Put on a client's queue to end its stream. */
    private static final String END = "";

    private final Duration ping;
    private final AtomicInteger serial = new AtomicInteger();
    private final List<Client> clients = new ArrayList<>();
    private boolean closed;

    /** @param ping how long a stream may stay silent before a comment line is sent, to notice a client gone away */
    EventClients(Duration ping) {
        this.ping = ping;
    }

    /** Sends {@code event} to every open stream; never blocks. */
    void publish(MachineEvent event) {
        List<Client> now;
        synchronized (clients) {
            if (clients.isEmpty()) {
                return;
            }
            now = List.copyOf(clients);
        }
        String text;
        try {
            text = SseFormat.event(event);
        } catch (RuntimeException e) {
            LOG.warn("status page: cannot encode event {}: {}", event, e.toString());
            return;
        }
        now.forEach(c -> c.offer(text));
    }

    /**
     * Starts a stream writing to {@code out} on a thread of its own; {@code onEnd} runs on that thread when the stream
     * ends (the client went away, fell behind, or the page closed).
     *
     * @return false when {@value #MAX_CLIENTS} streams are already open or the page is closed (nothing started)
     */
    boolean open(OutputStream out, Runnable onEnd) {
        Client c = new Client(out, onEnd);
        synchronized (clients) {
            if (closed || clients.size() >= MAX_CLIENTS) {
                return false;
            }
            clients.add(c);
        }
        Thread t = new Thread(c::run, "tend-status-events-" + serial.incrementAndGet());
        t.setDaemon(true);
        c.thread = t;
        t.start();
        return true;
    }

    /** Whether another stream may open now. */
    boolean canOpen() {
        synchronized (clients) {
            return !closed && clients.size() < MAX_CLIENTS;
        }
    }

    int size() {
        synchronized (clients) {
            return clients.size();
        }
    }

    /**
     * Ends every stream and waits for their threads, {@value #CLOSE_WAIT_MILLIS} ms in all: a thread blocked writing to
     * a client that reads nothing is left (a daemon), its connection closed when the listener stops.
     */
    @Override
    public void close() {
        List<Client> all;
        synchronized (clients) {
            closed = true;
            all = List.copyOf(clients);
        }
        for (Client c : all) {
            c.end();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (Client c : all) {
            try {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                c.thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Client {
        private final OutputStream out;
        private final Runnable onEnd;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean behind;
        volatile Thread thread;

        Client(OutputStream out, Runnable onEnd) {
            this.out = out;
            this.onEnd = onEnd;
        }

        void offer(String text) {
            if (!queue.offer(text)) {
                behind = true;
                end();
            }
        }

        void end() {
            queue.clear();
            queue.offer(END);
        }

        void run() {
            try {
                write(SseFormat.RETRY);
                while (true) {
                    String text = queue.poll(ping.toMillis(), TimeUnit.MILLISECONDS);
                    if (behind || text != null && text.isEmpty()) {
                        break;
                    }
                    write(text == null ? SseFormat.PING : text);
                }
            } catch (IOException e) {
                LOG.debug("status page: an events client went away: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (behind) {
                    LOG.warn("status page: dropping an events client that fell more than {} events behind", QUEUE);
                }
                synchronized (clients) {
                    clients.remove(this);
                }
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the client is gone
                }
                onEnd.run();
            }
        }

        private void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
