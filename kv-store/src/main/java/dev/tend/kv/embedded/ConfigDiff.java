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
        add(d, "ttl", dev.tend.units.Durations.format(have.ttl()), dev.tend.units.Durations.format(want.ttl()));
        add(d, "max value size", limit(have.maxValueSize()), limit(want.maxValueSize()));
        add(d, "max bucket size", limit(have.maxBucketSize()), limit(want.maxBucketSize()));
        add(d, "replicas", have.replicas(), want.replicas());
        add(d, "storage", have.storage(), want.storage());
        add(d, "description", "\"" + have.description() + "\"", "\"" + want.description() + "\"");
        add(d, "mirror", have.mirror(), want.mirror());
        return String.join(", ", d);
    }

    private static String limit(long bytes) {
        return bytes == BucketConfig.UNLIMITED ? "unlimited" : bytes + " bytes";
    }

    private static void add(List<String> d, String what, Object have, Object want) {
        if (!java.util.Objects.equals(have, want)) {
            d.add(what + " is " + have + ", not " + want);
        }
    }
}
