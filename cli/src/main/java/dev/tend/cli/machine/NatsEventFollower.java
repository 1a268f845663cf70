package dev.tend.cli.machine;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.nats.NatsConnections;
import dev.tend.machine.event.CloudEventsJson;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.MalformedEventException;
import dev.tend.machine.event.NatsEventSubjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows machine events on NATS ({@code <prefix>.>}): those of every agent publishing under the prefix, from
 * anywhere that reaches the servers, until Ctrl-C, standard output closes or jnats gives the connection up.
 */
final class NatsEventFollower {

    /** Takes each event (its JSON as received); false to stop following (standard output was closed). */
    interface Handler {
        boolean accept(String json, MachineEvent event);
    }

    /** How often the loop looks at the connection while no event comes. */
    private static final Duration POLL = Duration.ofSeconds(1);

    private final String url;
    private final ConnectionOptions options;
    private final NatsEventSubjects subjects;

    NatsEventFollower(String url, ConnectionOptions options, NatsEventSubjects subjects) {
        this.url = url;
        this.options = options;
        this.subjects = subjects;
    }

    /**
     * Follows until stopped. A message on the subjects that is not a machine event is skipped, the first one with a
     * note on {@code err}.
     *
     * @throws dev.tend.kv.KvException when NATS cannot be reached (the store's one-line error)
     * @throws CommandException when the connection is lost for good
     */
    int follow(Handler handler, PrintWriter err) {
        Connection connection = NatsConnections.connect(url, options);
        AtomicBoolean stopping = new AtomicBoolean();
        // Ctrl-C or SIGTERM: close the connection, so the loop below ends quietly while the JVM shuts down.
        Thread stopper = new Thread(() -> {
            stopping.set(true);
            closeQuietly(connection);
        }, "tend-events-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        boolean noted = false;
        try {
            Subscription subscription = connection.subscribe(subjects.all());
            while (true) {
                Message message;
                try {
                    message = subscription.nextMessage(POLL);
                } catch (IllegalStateException | InterruptedException e) {
                    message = null; // the connection closed under us; the status says why
                }
                if (message == null) {
                    if (connection.getStatus() != Connection.Status.CLOSED) {
                        continue;
                    }
                    if (stopping.get()) {
                        return ExitCodes.OK;
                    }
                    throw new CommandException(ExitCodes.FAILURE, "lost the connection to NATS: the servers did not"
                            + " come back");
                }
                if (subjects.isRequest(message.getSubject())) {
                    continue; // an operator's request to the agents, not an event
                }
                String json = new String(message.getData(), StandardCharsets.UTF_8);
                MachineEvent event;
                try {
                    event = CloudEventsJson.decode(message.getData());
                } catch (MalformedEventException e) {
                    if (!noted) {
                        noted = true;
                        err.println("tend: skipping messages on " + subjects.all() + " that are not machine events"
                                + " (the first, on " + message.getSubject() + ": " + e.getMessage() + ")");
                        err.flush();
                    }
                    continue;
                }
                if (!handler.accept(json, event)) {
                    return ExitCodes.OK;
                }
            }
        } finally {
            closeQuietly(connection);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is stopping: the hook does the same.
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
