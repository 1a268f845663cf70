package dev.tend.machine.control;

import dev.tend.machine.event.NatsEventSubjects;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The NATS subjects on which agents answer control requests, under the events prefix {@code P} of
 * {@link NatsEventSubjects}:
 *
 * <pre>
 * P.request.list                     every agent answers: the fleet-wide list (one reply per agent)
 * P.request.list.NODE                the agent NODE's list
 * P.request.info.NODE                one machine of NODE
 * P.request.transition.NODE          fire an event on a machine of NODE
 * </pre>
 *
 * The verb comes before the node so that NATS permissions can allow verbs apart ({@code P.request.info.>} but not
 * {@code P.request.transition.>}). {@code NODE} is the agent's identity as subject tokens ({@link #node}): its dots
 * separate tokens, any other character than letters, digits, {@code _} and {@code -} becomes {@code _}, an empty token
 * {@code _}. The request body is the control socket's request line ({@link ControlProtocol}); its {@code op} must be
 * the subject's verb. Agents also keep a key per node in the JetStream KV bucket {@value #REGISTRY_BUCKET}
 * ({@link #registryKey}), so that an operator knows which nodes should answer.
 *
 * @param prefix the events prefix, already checked by {@link NatsEventSubjects}
 */
public record NatsControlSubjects(String prefix) {

    /** The bucket of the nodes that serve requests: one key {@code <prefix>.<NODE>} per agent, removed at its stop. */
    public static final String REGISTRY_BUCKET = "TEND_NODES";

    /** The verbs served over NATS; nothing else is. */
    public static final List<String> VERBS = List.of(ControlProtocol.OP_LIST, ControlProtocol.OP_INFO,
            ControlProtocol.OP_TRANSITION);

    private static final Pattern NOT_TOKEN = Pattern.compile("[^A-Za-z0-9_-]");

    public NatsControlSubjects {
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The request subjects under the events subjects' prefix. */
    public static NatsControlSubjects of(NatsEventSubjects events) {
        return new NatsControlSubjects(events.prefix());
    }

    /** {@code P.request.list}: the fleet-wide list every agent answers. */
    public String fleetList() {
        return prefix + ".request." + ControlProtocol.OP_LIST;
    }

    /** {@code P.request.VERB.NODE}. */
    public String request(String verb, String identity) {
        return prefix + ".request." + verb + "." + node(identity);
    }

    /** {@code P.request.*.NODE}: every request to one agent. */
    public String nodeRequests(String identity) {
        return prefix + ".request.*." + node(identity);
    }

    /** {@code P.request.}: what every request subject starts with. */
    public String requestsStart() {
        return prefix + ".request.";
    }

    /** The verb of a request subject addressed to one node, or of the fleet-wide list. */
    public String verb(String subject) {
        String rest = subject.startsWith(requestsStart()) ? subject.substring(requestsStart().length()) : "";
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** The node's key in {@value #REGISTRY_BUCKET}: {@code <prefix>.<NODE>}. */
    public String registryKey(String identity) {
        return prefix + "." + node(identity);
    }

    /** The filter of this prefix's keys in {@value #REGISTRY_BUCKET}. */
    public String registryFilter() {
        return prefix + ".>";
    }

    /** The node of a registry key of this prefix, or null when the key is another prefix's. */
    public String registryNode(String key) {
        return key.startsWith(prefix + ".") ? key.substring(prefix.length() + 1) : null;
    }

    /** The identity as subject tokens (see the class comment). */
    public static String node(String identity) {
        String[] tokens = identity.split("\\.", -1);
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            String clean = NOT_TOKEN.matcher(t).replaceAll("_");
            sb.append(clean.isEmpty() ? "_" : clean);
        }
        return sb.toString();
    }
}
