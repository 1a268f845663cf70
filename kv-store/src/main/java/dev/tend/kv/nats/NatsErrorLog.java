package dev.tend.kv.nats;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.support.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends jnats' asynchronous error reports to SLF4J instead of its default listener, which writes multi-line
 * java.util.logging records to stderr (around the one-line error of a failed command). A failed connection attempt
 * is only DEBUG: when no server can be reached the caller gets the error, and when another server of the URL
 * answers there is nothing to report. Errors the server sends and slow consumers are warnings.
 */
final class NatsErrorLog implements ErrorListener {
    private static final Logger LOG = LoggerFactory.getLogger(NatsErrorLog.class);

    @Override
    public void errorOccurred(Connection conn, String error) {
        LOG.warn("NATS server error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        LOG.debug("NATS connection: {}", NatsErrors.oneLine(exp), exp);
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        LOG.warn("NATS: a subscription is not keeping up with its messages (slow consumer)");
    }

    @Override
    public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence,
                               long lastConsumerSequence) {
        LOG.debug("NATS: missed heartbeats on a watch after stream sequence {}", lastStreamSequence);
    }

    @Override
    public void unhandledStatus(Connection conn, JetStreamSubscription sub, Status status) {
        LOG.debug("NATS: unhandled status {}", status);
    }
}
