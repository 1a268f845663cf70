package dev.tend.kv.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.kv.BucketConfig;
import dev.tend.units.Durations;

import java.util.Locale;

/**
 * A bucket config's fields as portable JSON: the shape backups store and {@code tend kv info --json} prints
 * (TTL as a Go duration, unlimited sizes as -1, storage in lower case, mirror null when unset).
 */
public final class ConfigJson {
    private ConfigJson() {
    }

    /** Adds every field but the name to {@code node} and returns it. */
    public static ObjectNode putFields(ObjectNode node, BucketConfig c) {
        node.put("description", c.description());
        node.put("history", c.history());
        node.put("ttl", Durations.format(c.ttl()));
        node.put("max_value_size", c.maxValueSize());
        node.put("max_bucket_size", c.maxBucketSize());
        node.put("replicas", c.replicas());
        node.put("storage", c.storage().name().toLowerCase(Locale.ROOT));
        if (c.mirror() == null) {
            node.putNull("mirror");
        } else {
            node.put("mirror", c.mirror());
        }
        return node;
    }
}
