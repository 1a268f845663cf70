package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.InvalidKeyException;
import dev.tend.kv.InvalidNameException;
import dev.tend.kv.Names;
import dev.tend.kv.WatchOptions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bucket names, keys and filters are checked before the store is touched. */
public abstract class ValidationContract extends KvContractSupport {

    static Stream<String> invalidBucketNames() {
        return Stream.of("", "has space", "has.dot", "star*", "gt>", "slash/", "colon:", "ünïcode", "tab\t",
                "x".repeat(Names.MAX_BUCKET_NAME_LENGTH + 1));
    }

    static Stream<String> invalidKeys() {
        return Stream.of("", ".leading", "trailing.", "double..dot", "has space", "*", "a.*", ">", "a.>", "colon:",
                "ünïcode", "tab\t", "new\nline", ".");
    }

    static Stream<String> malformedFilters() {
        return Stream.of("", "a.>.b", "a*", "a.b*", "*a", ">a", "a.>x", "a>", ".a", "a.", "a..b", "has space",
                "colon:", "> ");
    }

    // ---- bucket names

    @ParameterizedTest
    @MethodSource("invalidBucketNames")
    void invalidBucketNameIsRejectedEverywhere(String name) {
        assertThatThrownBy(() -> BucketConfig.builder(name).build()).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.bucket(name)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void bucketNameOfMaximumLengthIsValid() {
        String name = track("n" + "x".repeat(Names.MAX_BUCKET_NAME_LENGTH - 1));

        store.create(BucketConfig.builder(name).build()).put("k", "v");

        assertThat(store.bucketNames()).contains(name);
        assertThat(store.bucket(name).getExisting("k").valueAsString()).isEqualTo("v");
    }

    @Test
    void bucketNamesMayUseLettersDigitsDashAndUnderscore() {
        String name = track(newBucketName() + "-AZaz09_-");

        store.create(BucketConfig.builder(name).build());

        assertThat(store.exists(name)).isTrue();
    }

    // ---- keys

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void invalidKeyIsRejectedByEveryKeyOperation(String key) {
        Bucket bucket = newBucketWithHistory(5);
        bucket.put("valid", "v");
        byte[] v = bytes("v");

        Map<String, ThrowingCallable> calls = Map.of(
                "put", () -> bucket.put(key, v),
                "create", () -> bucket.create(key, v),
                "update", () -> bucket.update(key, v, 1),
                "delete", () -> bucket.delete(key),
                "cas delete", () -> bucket.delete(key, 1),
                "purge", () -> bucket.purge(key),
                "cas purge", () -> bucket.purge(key, 1),
                "get", () -> bucket.get(key),
                "get at revision", () -> bucket.get(key, 1),
                "history", () -> bucket.history(key));
        calls.forEach((what, call) -> assertThatThrownBy(call).as(what).isInstanceOf(InvalidKeyException.class));

        assertThat(bucket.status().values()).isEqualTo(1);
        assertThat(bucket.status().lastRevision()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A-b/c_d=e.F9", "users.a.b", "-", "_x", "=/=", "1.2.3"})
    void keysUseLettersDigitsAndDashSlashUnderscoreEqualsDot(String key) {
        Bucket bucket = newBucket();

        bucket.put(key, "v");

        assertThat(bucket.getExisting(key).key()).isEqualTo(key);
    }

    // ---- filters

    @ParameterizedTest
    @MethodSource("malformedFilters")
    void malformedFilterIsRejectedByKeysAndWatch(String filter) {
        Bucket bucket = newBucket();
        WatchRecorder r = recorder();

        assertThatThrownBy(() -> bucket.keys(List.of(filter))).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> bucket.keys(List.of("ok.>", filter))).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> watch(bucket, List.of(filter), WatchOptions.defaults(), r))
                .isInstanceOf(InvalidKeyException.class);
        assertThat(r.events()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {">", "*", "a.*", "a.>", "*.b", "*.*.c", "a.*.>", "a-b/c_d=e.*"})
    void wildcardFiltersAreValid(String filter) {
        Bucket bucket = newBucket();

        assertThat(bucket.keys(List.of(filter))).isEmpty();
    }

    @Test
    void aWatchStartsOneWayOnly() {
        assertThatThrownBy(() -> WatchOptions.defaults().withIncludeHistory().withUpdatesOnly())
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WatchOptions.defaults().withUpdatesOnly().withFromRevision(3))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WatchOptions.defaults().withFromRevision(-1))
                .isInstanceOf(InvalidInputException.class);
    }
}
