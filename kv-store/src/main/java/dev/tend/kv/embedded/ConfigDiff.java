package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;

import java.util.ArrayList;
import java.util.List;

/** Says how two configs of a bucket differ, for error messages. */
final class ConfigDiff {
    private ConfigDiff() {
    }

    static String describe(BucketConfig have, BucketConfig want) {
        List<String> d = new ArrayList<>();
        add(d, "history", have.history(), want.history());
        add(d, "ttl", have.ttl(), want.ttl());
        add(d, "max value size", have.maxValueSize(), want.maxValueSize());
        add(d, "max bucket size", have.maxBucketSize(), want.maxBucketSize());
        add(d, "replicas", have.replicas(), want.replicas());
        add(d, "storage", have.storage(), want.storage());
        add(d, "description", "\"" + have.description() + "\"", "\"" + want.description() + "\"");
        add(d, "mirror", have.mirror(), want.mirror());
        return String.join(", ", d);
    }

    private static void add(List<String> d, String what, Object have, Object want) {
        if (!java.util.Objects.equals(have, want)) {
            d.add(what + " is " + have + ", not " + want);
        }
    }
}
