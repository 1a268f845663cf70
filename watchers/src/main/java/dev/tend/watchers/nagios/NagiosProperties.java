package dev.tend.watchers.nagios;

import dev.tend.machine.spi.WatcherProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A nagios watcher's decoded properties.
 *
 * @param plugin       the plugin's command line (a template), or empty with a builtin
 * @param builtin      {@code heartbeat}, {@code goss} or {@code choria_status}, or empty with a plugin
 * @param timeout      how long a plugin may run before its processes are killed
 * @param annotations  copied into every state event
 * @param gossfile     the goss builtin's file
 * @param lastMessage  choria_status: the agent's last event may be at most this old
 * @param certExpire   choria_status: CRITICAL when the certificate expires within this (not used by Tend)
 * @param tokenExpire  choria_status: CRITICAL when the token expires within this (not used by Tend)
 */
record NagiosProperties(String plugin, String builtin, Duration timeout, Map<String, String> annotations,
                        String gossfile, Duration lastMessage, Duration certExpire, Duration tokenExpire) {

    static final String PLUGIN = "plugin";
    static final String BUILTIN = "builtin";
    static final String TIMEOUT = "timeout";
    static final String ANNOTATIONS = "annotations";
    static final String GOSSFILE = "gossfile";
    static final String LAST_MESSAGE = "last_message";
    static final String PUBCERT_EXPIRE = "pubcert_expire";
    static final String TOKEN_EXPIRE = "token_expire";

    static final String HEARTBEAT = "heartbeat";
    static final String GOSS = "goss";
    static final String CHORIA_STATUS = "choria_status";

    /** As exec's: the reference's documented default (its code says 1s); also what {@code timeout: 0} means. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    NagiosProperties {
        annotations = Map.copyOf(annotations);
    }

    static NagiosProperties of(WatcherProperties p) {
        Duration timeout = p.duration(TIMEOUT);
        Map<String, String> annotations = new LinkedHashMap<>();
        p.map(ANNOTATIONS).forEach((k, v) -> annotations.put(k, String.valueOf(v)));
        return new NagiosProperties(orEmpty(p.string(PLUGIN)), orEmpty(p.string(BUILTIN)),
                timeout.isZero() ? DEFAULT_TIMEOUT : timeout, annotations, orEmpty(p.string(GOSSFILE)),
                p.duration(LAST_MESSAGE), p.duration(PUBCERT_EXPIRE), p.duration(TOKEN_EXPIRE));
    }

    /** What the state event's {@code plugin} shows before the first check: the plugin as written, or the builtin. */
    String describe() {
        return plugin.isEmpty() ? builtin : plugin;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
