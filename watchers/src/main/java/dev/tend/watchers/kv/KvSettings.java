package dev.tend.watchers.kv;

import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherProperties;

import java.time.Duration;

/**
 * A kv watcher's properties, decoded.
 *
 * @param bucket           the bucket's name
 * @param key              the key (a template; in watch mode also a filter), empty for the whole bucket in watch mode
 * @param watch            {@code mode: watch}
 * @param bucketPrefix     the data key starts with {@code <bucket>_}
 * @param storeKey         the data key instead of the key (a template), or empty
 * @param query            a gjson path applied to JSON object values, or empty
 * @param hieraConfig      JSON object values are Tiny Hiera documents, resolved against the facts
 * @param onSuccessfulGet  every successful read counts as a change
 * @param onMatchingUpdate a re-put of an equal value (a higher revision) counts as a change
 * @param interval         poll period, or in watch mode the period of a full resync ({@link Duration#ZERO}: none)
 */
record KvSettings(String bucket, String key, boolean watch, boolean bucketPrefix, String storeKey, String query,
                  boolean hieraConfig, boolean onSuccessfulGet, boolean onMatchingUpdate, Duration interval) {

    static final String POLL = "poll";
    static final String WATCH = "watch";

    static KvSettings of(WatcherDefinition definition) {
        WatcherProperties p = definition.properties();
        boolean bucketPrefix = p.value("bucket_prefix").map(Boolean.TRUE::equals).orElse(true); // true by default
        return new KvSettings(p.string("bucket"), text(p, "key"), WATCH.equals(p.string("mode")), bucketPrefix,
                text(p, "store_key"), text(p, "query"), p.bool("hiera_config"), p.bool("on_successful_get"),
                p.bool("on_matching_update"), definition.interval());
    }

    String mode() {
        return watch ? WATCH : POLL;
    }

    /** The data key for a rendered key or store key: {@code <bucket>_<name>} when {@link #bucketPrefix}. */
    String dataKey(String renderedName) {
        return bucketPrefix ? bucket + "_" + renderedName : renderedName;
    }

    private static String text(WatcherProperties p, String name) {
        String v = p.string(name);
        return v == null ? "" : v;
    }
}
