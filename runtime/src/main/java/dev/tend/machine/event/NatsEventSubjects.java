package dev.tend.machine.event;

import java.util.regex.Pattern;

/**
 * The NATS subjects machine events are published on, all under one prefix (default {@value #DEFAULT_PREFIX}):
 * {@code <prefix>.transition} for transitions and {@code <prefix>.watcher.<type>.state} for watcher states, so
 * {@code <prefix>.>} receives them all (and the control requests agents answer under {@code <prefix>.request.}, which
 * {@link #isRequest} tells apart).
 *
 * @param prefix dot-separated tokens, each of letters, digits, {@code _} and {@code -} (no wildcards, no blanks)
 */
public record NatsEventSubjects(String prefix) {

    public static final String DEFAULT_PREFIX = "tend.machine";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");
    /** What a watcher type may not carry into its subject token (a plugin's type name is not checked). */
    private static final Pattern NOT_TOKEN = Pattern.compile("[^A-Za-z0-9_-]");

    /** @throws IllegalArgumentException naming what is wrong with the prefix */
    public NatsEventSubjects {
        String problem = problem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public static NatsEventSubjects defaults() {
        return new NatsEventSubjects(DEFAULT_PREFIX);
    }

    /** The subject {@code event} is published on. */
    public String subject(MachineEvent event) {
        if (event instanceof WatcherStateEvent w) {
            return prefix + ".watcher." + token(w.watcherType()) + ".state";
        }
        return prefix + ".transition";
    }

    /** The subscription that receives every event: {@code <prefix>.>}. */
    public String all() {
        return prefix + ".>";
    }

    /**
     * Whether {@code subject} carries control requests to agents ({@code <prefix>.request.>}, see
     * {@code dev.tend.machine.control.NatsControlSubjects}) rather than events: subscribers of {@link #all()} skip them.
     */
    public boolean isRequest(String subject) {
        return subject.startsWith(prefix + ".request.");
    }

    private static String token(String watcherType) {
        String t = watcherType == null ? "" : NOT_TOKEN.matcher(watcherType).replaceAll("_");
        return t.isEmpty() ? "_" : t;
    }

    /** Why {@code prefix} is not a usable subject prefix, or null when it is. */
    private static String problem(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "the events prefix is empty (e.g. " + DEFAULT_PREFIX + ")";
        }
        String quoted = "events prefix \"" + prefix + "\"";
        if (prefix.startsWith(".") || prefix.endsWith(".") || prefix.contains("..")) {
            return quoted + " has an empty token: use dot-separated names such as " + DEFAULT_PREFIX;
        }
        for (String token : prefix.split("\\.")) {
            if (token.contains("*") || token.contains(">")) {
                return quoted + " contains a wildcard (* or >): events are published on exact subjects";
            }
            if (!TOKEN.matcher(token).matches()) {
                return quoted + " may only contain letters, digits, '_', '-' and dots between names";
            }
        }
        return null;
    }
}
