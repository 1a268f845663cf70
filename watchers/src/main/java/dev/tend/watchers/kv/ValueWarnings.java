package dev.tend.watchers.kv;

import org.slf4j.Logger;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Logs what is wrong with a key's value once per revision of the key: a watch-mode resync that reads the same bad value
 * again adds no line (at debug level only), a new write of it does. Remembers the last revision warned about per key,
 * for at most {@link #LIMIT} keys (all are forgotten when one more comes, so a bucket whose keys come and go does not
 * grow it; the worst is a line said again). Not thread-safe: used only on its watcher's lane.
 */
final class ValueWarnings {

    /** The revision of a key warned about, and what was said of it. */
    private record Warned(long revision, Set<String> messages) {
    }

    static final int LIMIT = 1024;

    private final Logger log;
    private final Map<String, Warned> warned = new HashMap<>();

    ValueWarnings(Logger log) {
        this.log = log;
    }

    /** Warns about revision {@code revision} of {@code key}, unless this was said of that revision already. */
    void warn(String key, long revision, String message) {
        Warned w = warned.get(key);
        if (w == null || w.revision() != revision) {
            if (w == null && warned.size() >= LIMIT) {
                warned.clear();
            }
            w = new Warned(revision, new HashSet<>());
            warned.put(key, w);
        }
        if (w.messages().add(message)) {
            log.warn("{}", message);
        } else {
            log.debug("{} (logged already for revision {})", message, revision);
        }
    }
}
