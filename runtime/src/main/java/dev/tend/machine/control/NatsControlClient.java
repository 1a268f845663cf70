package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlException.Code;
import dev.tend.units.Durations;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValueOptions;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Subscription;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Asks agents over NATS ({@link NatsControlSubjects}) on a connection the caller owns: the fleet-wide list (one
 * request, the replies gathered until every registered node answered or the time-out passed), and one node's info and
 * transitions. Never waits longer than its time-out for a node; a node that does not answer is reported, not waited
 * for. Errors are {@link ControlException}s with one-line messages.
 */
public final class NatsControlClient {

    /** One node's answer to the fleet-wide list: its machines, or its error. */
    public record NodeList(String identity, List<MachineStatus> machines, String error) {
    }

    /**
     * The fleet-wide list: the nodes that answered (sorted by identity) and those registered in
     * {@value NatsControlSubjects#REGISTRY_BUCKET} that did not, by their subject form.
     */
    public record FleetList(List<NodeList> nodes, List<String> silent) {
    }

    /** A transition to fire on a node. */
    public record NodeTransition(String node, String machine, String event) {
    }

    /** What one {@link NodeTransition} did: its outcome, or its error. */
    public record TransitionResult(NodeTransition request, TransitionOutcome outcome, ControlException error) {
    }

    private final Connection connection;
    private final NatsControlSubjects subjects;
    private final Duration timeout;

    public NatsControlClient(Connection connection, NatsControlSubjects subjects, Duration timeout) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.subjects = Objects.requireNonNull(subjects, "subjects");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Every agent's list, of the nodes {@code wanted} accepts (it is given the identity of a reply, the subject form
     * of a registered node): one request on {@link NatsControlSubjects#fleetList()}, then the replies until each
     * registered node wanted has answered, or the time-out.
     */
    public FleetList list(Predicate<String> wanted) throws ControlException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Subscription replies = null;
        try {
            String inbox = connection.createInbox();
            replies = connection.subscribe(inbox);
            connection.publish(subjects.fleetList(), inbox, ControlRequest.list().toLine()
                    .getBytes(StandardCharsets.UTF_8));
            connection.flushBuffer();
            Set<String> expected = registered(wanted, deadline); // meanwhile the replies queue in the subscription
            Map<String, NodeList> answered = new TreeMap<>();
            while (expected.isEmpty() || !answered.keySet().containsAll(expected)) {
                long left = deadline - System.nanoTime();
                // jnats waits for ever on a zero wait: at least a millisecond; past the deadline, what has come only.
                Message m = replies.nextMessage(Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
                if (m == null) {
                    if (left <= 0) {
                        break;
                    }
                    continue;
                }
                NodeList node = nodeList(m);
                if (node != null && wanted.test(node.identity())) {
                    answered.put(NatsControlSubjects.node(node.identity()), node);
                }
            }
            Set<String> silent = new TreeSet<>(expected);
            silent.removeAll(answered.keySet());
            List<NodeList> nodes = new ArrayList<>(answered.values());
            nodes.sort((a, b) -> a.identity().compareTo(b.identity()));
            return new FleetList(nodes, List.copyOf(silent));
        } catch (IOException | IllegalStateException e) {
            throw new ControlException(Code.FAILURE, "cannot ask the agents over NATS: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(Code.FAILURE, "interrupted while asking the agents over NATS", e);
        } finally {
            if (replies != null) {
                try {
                    replies.unsubscribe();
                } catch (IllegalStateException closed) {
                    // the connection is gone: so is the subscription
                }
            }
        }
    }

    /** A reply to the fleet-wide list, or null when it is not one (a stray message on the inbox). */
    private static NodeList nodeList(Message m) {
        JsonNode n;
        try {
            n = ControlClient.parse(new String(m.getData(), StandardCharsets.UTF_8));
        } catch (ControlException e) {
            return null;
        }
        String identity = n.path("identity").asText(null);
        if (identity == null) {
            return null;
        }
        try {
            ControlClient.check(n);
            List<MachineStatus> machines = new ArrayList<>();
            for (JsonNode machine : n.path("machines")) {
                machines.add(ControlProtocol.machineStatus(machine));
            }
            return new NodeList(identity, machines, null);
        } catch (ControlException e) {
            return new NodeList(identity, List.of(), e.getMessage());
        }
    }

    /**
     * The registered nodes (subject form) {@code wanted} accepts, read until {@code deadline} at most; none when the
     * registry cannot be read in time (no bucket, or no permission to read it: then the whole time-out is waited).
     */
    private Set<String> registered(Predicate<String> wanted, long deadline) throws InterruptedException {
        Set<String> nodes = new TreeSet<>();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return nodes;
        }
        try {
            KeyValueOptions options = KeyValueOptions.builder()
                    .jsRequestTimeout(Duration.ofMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)))).build();
            KeyValue kv = connection.keyValue(NatsControlSubjects.REGISTRY_BUCKET, options);
            for (String key : kv.keys(subjects.registryFilter())) {
                String node = subjects.registryNode(key);
                if (node != null && wanted.test(node)) {
                    nodes.add(node);
                }
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return Set.of();
        }
        return nodes;
    }

    /** The machine {@code machine} of node {@code node}. */
    public MachineStatus info(String node, String machine) throws ControlException {
        JsonNode r = await(node, send(ControlProtocol.OP_INFO, node, ControlRequest.info(machine)),
                System.nanoTime() + timeout.toNanos());
        return ControlProtocol.machineStatus(r.get("machine"));
    }

    /** Node {@code node}'s list. */
    public List<MachineStatus> list(String node) throws ControlException {
        JsonNode r = await(node, send(ControlProtocol.OP_LIST, node, ControlRequest.list()),
                System.nanoTime() + timeout.toNanos());
        List<MachineStatus> machines = new ArrayList<>();
        for (JsonNode m : r.path("machines")) {
            machines.add(ControlProtocol.machineStatus(m));
        }
        return machines;
    }

    /** Fires {@code event} on {@code machine} of node {@code node}. */
    public TransitionOutcome transition(String node, String machine, String event) throws ControlException {
        TransitionResult r = transitions(List.of(new NodeTransition(node, machine, event))).get(0);
        if (r.error() != null) {
            throw r.error();
        }
        return r.outcome();
    }

    /** Fires every transition at once (all requests sent, then the replies awaited until one deadline), in order. */
    public List<TransitionResult> transitions(List<NodeTransition> requests) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<Message>> sent = new ArrayList<>();
        for (NodeTransition t : requests) {
            sent.add(send(ControlProtocol.OP_TRANSITION, t.node(), ControlRequest.transition(t.machine(), t.event())));
        }
        List<TransitionResult> results = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            NodeTransition t = requests.get(i);
            try {
                JsonNode r = await(t.node(), sent.get(i), deadline);
                results.add(new TransitionResult(t, new TransitionOutcome(r.path("machine").asText(t.machine()),
                        r.path("event").asText(t.event()), r.path("from_state").asText(),
                        r.path("to_state").asText()), null));
            } catch (ControlException e) {
                results.add(new TransitionResult(t, null, e));
            }
        }
        return results;
    }

    private CompletableFuture<Message> send(String verb, String node, ControlRequest request) {
        try {
            return connection.requestWithTimeout(subjects.request(verb, node),
                    request.toLine().getBytes(StandardCharsets.UTF_8), timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The checked reply of {@code node}, waited for until {@code deadline} at most. */
    private JsonNode await(String node, CompletableFuture<Message> reply, long deadline) throws ControlException {
        long started = System.nanoTime();
        Message m;
        try {
            m = reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw silent(node, e);
        } catch (CancellationException e) {
            // jnats cancels a request when the server says no one subscribes, and when its own time-out passes.
            if (System.nanoTime() - started < timeout.toNanos() && System.nanoTime() < deadline) {
                throw new ControlException(Code.NOT_FOUND, "no agent answers as node \"" + node + "\" on "
                        + subjects.request("*", node).replace(".*.", ".<verb>.") + " (is its agent running on"
                        + " this NATS with the same events prefix?)", e);
            }
            throw silent(node, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ControlException(Code.FAILURE, "cannot ask node \"" + node + "\" over NATS: "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(Code.FAILURE, "interrupted while asking node \"" + node + "\"", e);
        }
        return ControlClient.check(ControlClient.parse(new String(m.getData(), StandardCharsets.UTF_8)));
    }

    private ControlException silent(String node, Exception cause) {
        return new ControlException(Code.FAILURE, "node " + node + " did not answer within "
                + Durations.format(timeout), cause);
    }
}
