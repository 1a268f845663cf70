package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Everything a client can observe of a store, as canonical text, so two states compare with equals and a
 * mismatch prints as a readable diff. Values appear as their length and SHA-256, and every value of the workloads
 * (made by {@link CrashValues}) is verified whole while capturing.
 */
final class StoreState {
    private StoreState() {
    }

    /**
     * Captures the buckets and, for each, every key in {@code keys}: its history (revision, operation, value),
     * get, get at each retained revision, and keys(). With {@code withStatus}, also the last revision and the
     * number of values.
     */
    static String capture(KvStore store, Collection<String> keys, boolean withStatus) {
        StringBuilder sb = new StringBuilder();
        for (String name : store.bucketNames()) {
            Bucket b = store.bucket(name);
            BucketStatus st = b.status();
            BucketConfig c = st.config();
            sb.append("bucket ").append(name).append(" history=").append(c.history()).append(" ttl=").append(c.ttl())
                    .append(" description=").append(c.description()).append('\n');
            if (withStatus) {
                sb.append("  lastRevision=").append(st.lastRevision()).append(" values=").append(st.values())
                        .append('\n');
            }
            sb.append("  keys=").append(b.keys()).append('\n');
            for (String key : keys.stream().sorted().toList()) {
                List<Entry> history = b.history(key);
                Optional<Entry> latest = b.get(key);
                if (history.isEmpty() && latest.isEmpty()) {
                    continue;
                }
                sb.append("  ").append(key).append(": get=")
                        .append(latest.map(StoreState::describe).orElse("-")).append('\n');
                for (Entry e : history) {
                    sb.append("    ").append(describe(e)).append('\n');
                    if (e.operation() == Operation.PUT) {
                        Optional<Entry> at = b.get(key, e.revision());
                        if (at.isEmpty() || !describe(at.get()).equals(describe(e))) {
                            sb.append("    !! get(").append(key).append(", ").append(e.revision()).append(") = ")
                                    .append(at.map(StoreState::describe).orElse("-")).append('\n');
                        }
                    }
                }
            }
        }
        return sb.toString();
    }

    static String describe(Entry e) {
        StringBuilder sb = new StringBuilder().append(e.revision()).append(' ').append(e.operation()).append(' ')
                .append(e.key());
        if (e.operation() == Operation.PUT) {
            sb.append(" len=").append(e.value().length).append(" sha=")
                    .append(CrashValues.sha256(e.value()), 0, 12);
            try {
                CrashValues.Decoded d = CrashValues.decode(e.value());
                if (!d.key().equals(e.key())) {
                    sb.append(" !! value written for key ").append(d.key());
                }
            } catch (IllegalStateException bad) {
                sb.append(" !! CORRUPT: ").append(bad.getMessage());
            }
        } else if (e.value().length != 0) {
            sb.append(" !! marker with ").append(e.value().length).append(" value bytes");
        }
        return sb.toString();
    }

    /** A line diff of two captures, for failure messages. */
    static String diff(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        StringBuilder sb = new StringBuilder();
        for (String l : a) {
            if (!b.contains(l)) {
                sb.append("- ").append(l).append('\n');
            }
        }
        for (String l : b) {
            if (!a.contains(l)) {
                sb.append("+ ").append(l).append('\n');
            }
        }
        return sb.toString();
    }
}
