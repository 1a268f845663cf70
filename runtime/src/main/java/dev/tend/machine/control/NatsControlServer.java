package dev.tend.machine.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.nats.NatsConnections;
import dev.tend.machine.control.ControlException.Code;
import dev.tend.machine.event.NatsEventSubjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Message;
import io.nats.client.api.KeyValueConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers control requests that come over NATS ({@link NatsControlSubjects}): {@code list}, {@code info} and
 * {@code transition} only, through the same {@link RequestHandler} as the control socket; any other verb or op gets an
 * {@code invalid} error reply. Replies are the socket's response lines ({@link ControlProtocol}, with {@code "v"}).
 *
 * <p>One thread, {@code tend-nats-requests}, connects (in the background, again with a growing pause of 1 s up to
 * 30 s while it cannot: the agent runs whether NATS is up or not), subscribes, registers the node in
 * {@value NatsControlSubjects#REGISTRY_BUCKET} and answers the requests one at a time; jnats' dispatcher only queues
 * them (a full queue is answered at once with a {@code failure} reply). {@link #close()} removes the node from the
 * registry, unsubscribes and closes the connection.
 */
public final class NatsControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatsControlServer.class);

    static final int QUEUE_CAPACITY = 256;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Duration FLUSH = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** Opens a connection; throws when it cannot, an {@link InvalidInputException} when it never will. */
    interface Connector {
        Connection connect();
    }

    private final Connector connector;
    private final NatsControlSubjects subjects;
    private final RunningMachines machines;
    private final RequestHandler handler;
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Counted down once subscribed and registered. */
    private final CountDownLatch serving = new CountDownLatch(1);
    private final Thread thread;

    private NatsControlServer(Connector connector, NatsControlSubjects subjects, RunningMachines machines) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.subjects = Objects.requireNonNull(subjects, "subjects");
        this.machines = Objects.requireNonNull(machines, "machines");
        this.handler = new RequestHandler(machines);
        this.thread = new Thread(this::run, "tend-nats-requests");
        this.thread.setDaemon(true); // close() is the orderly way out; it never keeps the JVM alive
    }

    /**
     * Starts answering requests to {@code machines}' identity on the NATS servers of {@code url}, on a connection of
     * its own made in the background.
     */
    public static NatsControlServer start(String url, ConnectionOptions options, NatsEventSubjects events,
                                          RunningMachines machines) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        return start(() -> NatsConnections.connect(url, options), NatsControlSubjects.of(events), machines);
    }

    static NatsControlServer start(Connector connector, NatsControlSubjects subjects, RunningMachines machines) {
        NatsControlServer server = new NatsControlServer(connector, subjects, machines);
        server.thread.start();
        return server;
    }

    private void run() {
        Connection c = connect();
        if (c == null) {
            return;
        }
        Dispatcher dispatcher = c.createDispatcher(this::offer);
        KeyValue registry = null;
        try {
            dispatcher.subscribe(subjects.fleetList());
            dispatcher.subscribe(subjects.nodeRequests(machines.identity()));
            c.flush(FLUSH);
            LOG.info("answering control requests on NATS: {} and {}", subjects.fleetList(),
                    subjects.nodeRequests(machines.identity()));
            registry = register(c);
            serving.countDown();
            while (closing.getCount() > 0) {
                Message m = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (m != null) {
                    answer(c, m);
                }
            }
        } catch (InterruptedException e) {
            // close()
        } catch (TimeoutException | RuntimeException e) {
            LOG.warn("control requests on NATS stopped: {}", e.toString());
        } finally {
            deregister(registry);
            LOG.info("stopped answering control requests on NATS");
            try {
                c.closeDispatcher(dispatcher);
            } catch (RuntimeException e) {
                LOG.debug("control requests on NATS: closing the dispatcher: {}", e.toString());
            }
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Connects, pausing longer after each failure; null when closing or when it can never work. */
    private Connection connect() {
        Duration pause = FIRST_RETRY;
        boolean logged = false;
        while (closing.getCount() > 0) {
            try {
                Connection c = connector.connect();
                if (logged) {
                    LOG.info("control requests on NATS: connected");
                }
                return c;
            } catch (InvalidInputException | IllegalArgumentException e) {
                LOG.warn("control requests on NATS are off: {}", e.getMessage());
                return null;
            } catch (RuntimeException e) {
                if (!logged) {
                    LOG.warn("control requests on NATS: cannot connect yet ({}); trying again", e.getMessage());
                    logged = true;
                }
            }
            try {
                if (closing.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return null;
                }
            } catch (InterruptedException e) {
                return null;
            }
            pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
        }
        return null;
    }

    /** Called on jnats' dispatcher thread: queues the request, or answers at once that the agent is busy. */
    private void offer(Message m) {
        if (m.getReplyTo() == null || closing.getCount() == 0) {
            return; // nobody to answer, or stopping
        }
        if (!queue.offer(m)) {
            reply(m.getConnection(), m, ControlProtocol.error(Code.FAILURE, "the agent has " + QUEUE_CAPACITY
                    + " requests waiting: try again"));
        }
    }

    private void answer(Connection c, Message m) {
        reply(c, m, response(m));
    }

    /** The response to one request: the handler's, or an error for what is not served over NATS. */
    ObjectNode response(Message m) {
        String verb = subjects.verb(m.getSubject());
        if (!NatsControlSubjects.VERBS.contains(verb)) {
            return ControlProtocol.error(Code.INVALID, "\"" + verb + "\" is not served over NATS (only "
                    + String.join(", ", NatsControlSubjects.VERBS) + ")");
        }
        ControlRequest request;
        try {
            request = ControlRequest.parse(new String(m.getData(), StandardCharsets.UTF_8));
        } catch (ControlException e) {
            return ControlProtocol.error(e.code(), e.getMessage());
        }
        if (!request.op().equals(verb)) {
            return ControlProtocol.error(Code.INVALID, "op \"" + request.op() + "\" sent on a " + verb + " subject: "
                    + "over NATS only " + String.join(", ", NatsControlSubjects.VERBS) + " are served, each on its"
                    + " own subject");
        }
        return handler.handle(request);
    }

    private static void reply(Connection c, Message m, ObjectNode response) {
        try {
            c.publish(m.getReplyTo(), ControlProtocol.line(response).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.debug("control requests on NATS: cannot reply: {}", e.toString());
        }
    }

    /** Puts this node's key in the registry; null (logged) when the registry cannot be used. */
    private KeyValue register(Connection c) {
        String key = subjects.registryKey(machines.identity());
        try {
            KeyValueManagement kvm = c.keyValueManagement();
            try {
                kvm.getStatus(NatsControlSubjects.REGISTRY_BUCKET);
            } catch (JetStreamApiException notThere) {
                try {
                    kvm.create(KeyValueConfiguration.builder().name(NatsControlSubjects.REGISTRY_BUCKET)
                            .maxHistoryPerKey(1).build());
                } catch (JetStreamApiException raced) {
                    // another agent made it meanwhile: the keyValue below finds it
                }
            }
            KeyValue kv = c.keyValue(NatsControlSubjects.REGISTRY_BUCKET);
            kv.put(key, ("{\"v\":" + ControlProtocol.VERSION + ",\"identity\":" + quoted(machines.identity())
                    + ",\"since\":\"" + machines.clock().instant() + "\"}").getBytes(StandardCharsets.UTF_8));
            return kv;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.warn("cannot register node {} in the KV bucket {} (operators will not know to expect it): {}", key,
                    NatsControlSubjects.REGISTRY_BUCKET, e.toString());
            return null;
        }
    }

    private void deregister(KeyValue registry) {
        if (registry == null) {
            return;
        }
        try {
            registry.delete(subjects.registryKey(machines.identity()));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.warn("cannot remove node {} from the KV bucket {}: {}", subjects.registryKey(machines.identity()),
                    NatsControlSubjects.REGISTRY_BUCKET, e.toString());
        }
    }

    private static String quoted(String text) {
        return ControlProtocol.line(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(text));
    }

    /** Waits until the server is subscribed and registered (tests); false when {@code timeout} passed first. */
    boolean awaitServing(Duration timeout) throws InterruptedException {
        return serving.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops answering, removes the node from the registry and closes the connection; waits for the thread. */
    @Override
    public void close() {
        closing.countDown();
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(STOP_WAIT.toMillis());
            if (thread.isAlive()) {
                LOG.warn("control requests on NATS: thread {} did not stop", thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
