package dev.tend.kv.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Logs what happens to a connection (dropped, back, closed) and what the server reports, through SLF4J instead of
 * jnats' own logger. Server URLs here never carry credentials (they go in the CONNECT message), so nothing logged
 * holds a secret.
 */
final class NatsConnectionEvents implements ConnectionListener, ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(NatsConnectionEvents.class);
    private static final int MAX_PROBLEMS = 16;

    /** The store URL, redacted, that the connection serves. */
    private final String url;
    /** Set while dropped: a close then means the client gave up, not that Tend closed it. */
    private volatile boolean down;
    /** Set on the first connect: failures before it are the connect's to explain, not to log. */
    private volatile boolean connected;
    /** Why the first attempts failed, for the error when no server could be reached. */
    private final List<Exception> problems = new CopyOnWriteArrayList<>();

    NatsConnectionEvents(String url) {
        this.url = url;
    }

    @Override
    public void connectionEvent(Connection connection, Events type) {
        if (type == Events.CONNECTED) {
            connected = true;
            LOG.debug("connected to NATS at {}", connection.getConnectedUrl());
            return;
        }
        if (!connected) {
            // A failed first connect: the caller explains it in its error, so nothing else is said here.
            LOG.debug("NATS connection event before connecting ({}): {}", url, type.getEvent());
            return;
        }
        switch (type) {
            case DISCONNECTED -> {
                down = true;
                LOG.warn("disconnected from NATS ({}): reconnecting", url);
            }
            case RECONNECTED -> {
                down = false;
                LOG.info("reconnected to NATS at {}", connection.getConnectedUrl());
            }
            case CLOSED -> {
                if (down) {
                    LOG.warn("lost the connection to NATS ({}): no server answered the reconnect attempts", url);
                } else {
                    LOG.debug("the connection to NATS ({}) is closed", url);
                }
            }
            case LAME_DUCK -> LOG.warn("the NATS server at {} is shutting down (lame duck mode)",
                    connection.getConnectedUrl());
            default -> LOG.debug("NATS connection event ({}): {}", url, type.getEvent());
        }
    }

    @Override
    public void errorOccurred(Connection connection, String error) {
        if (connected) {
            LOG.warn("NATS ({}) reports: {}", url, error);
        } else {
            record(new IOException(error));
            LOG.debug("NATS ({}) reports before connecting: {}", url, error);
        }
    }

    @Override
    public void exceptionOccurred(Connection connection, Exception e) {
        record(e);
        if (connected) {
            // A failed reconnect attempt lands here too: one line at WARN, the trace only at DEBUG.
            LOG.warn("NATS connection ({}): {}", url, NatsErrors.oneLine(e));
        }
        LOG.debug("NATS connection problem ({})", url, e);
    }

    private void record(Exception e) {
        if (!connected && problems.size() < MAX_PROBLEMS) {
            problems.add(e);
        }
    }

    /** Why the first connection attempts failed, oldest first. */
    List<Exception> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void slowConsumerDetected(Connection connection, io.nats.client.Consumer consumer) {
        LOG.warn("NATS ({}): a subscription is not keeping up and the client dropped messages", url);
    }
}
