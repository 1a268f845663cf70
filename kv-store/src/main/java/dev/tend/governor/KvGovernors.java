package dev.tend.governor;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.UnknownBucketException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@link Governors} on a store's buckets (see the package's description for the layout). */
final class KvGovernors implements Governors {

    private final KvStore store;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;

    KvGovernors(KvStore store, Clock clock, Sleeper sleeper, Duration pollInterval) {
        this.store = store;
        this.clock = clock;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
    }

    @Override
    public Governor add(String name, GovernorConfig config, int replicas) {
        String bucketName = GovernorKeys.bucketName(name);
        Bucket bucket;
        if (store.exists(bucketName)) {
            bucket = store.bucket(bucketName);
        } else {
            bucket = store.create(BucketConfig.builder(bucketName).description("Concurrency Governor " + name)
                    .history(1).replicas(replicas).build());
        }
        bucket.put(GovernorKeys.CONFIG_KEY, GovernorKeys.encode(config));
        return handle(name, bucket);
    }

    @Override
    public Governor governor(String name) {
        String bucketName = GovernorKeys.bucketName(name);
        Bucket bucket;
        try {
            bucket = store.bucket(bucketName);
        } catch (UnknownBucketException e) {
            throw new UnknownGovernorException(name);
        }
        if (bucket.get(GovernorKeys.CONFIG_KEY).isEmpty()) {
            throw new UnknownGovernorException(name);
        }
        return handle(name, bucket);
    }

    @Override
    public boolean exists(String name) {
        String bucketName = GovernorKeys.bucketName(name);
        try {
            return store.exists(bucketName) && store.bucket(bucketName).get(GovernorKeys.CONFIG_KEY).isPresent();
        } catch (UnknownBucketException e) {
            return false;
        }
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (String bucket : store.bucketNames()) {
            String name = GovernorKeys.governorName(bucket);
            if (name != null && name.length() <= GovernorKeys.MAX_NAME_LENGTH) {
                names.add(name);
            }
        }
        Collections.sort(names);
        return Collections.unmodifiableList(names);
    }

    @Override
    public void delete(String name) {
        governor(name);
        try {
            store.delete(GovernorKeys.bucketName(name));
        } catch (UnknownBucketException e) {
            throw new UnknownGovernorException(name);
        }
    }

    @Override
    public Duration pollInterval() {
        return pollInterval;
    }

    private Governor handle(String name, Bucket bucket) {
        return new KvGovernor(name, bucket, store, clock, sleeper, pollInterval);
    }
}
