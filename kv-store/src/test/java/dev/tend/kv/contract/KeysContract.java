package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing keys: only live keys, sorted, with NATS-style filters. */
public abstract class KeysContract extends KvContractSupport {

    private Bucket bucketWith(String... keys) {
        Bucket bucket = newBucketWithHistory(3);
        for (String k : keys) {
            bucket.put(k, "v");
        }
        return bucket;
    }

    @Test
    void emptyBucketHasNoKeys() {
        assertThat(newBucket().keys()).isEmpty();
    }

    @Test
    void keysAreSortedAndListedOnce() {
        Bucket bucket = bucketWith("b", "a.c", "B", "a", "a-b", "b");

        assertThat(bucket.keys()).containsExactly("B", "a", "a-b", "a.c", "b");
    }

    @Test
    void keysWhoseLatestEntryIsAMarkerAreNotListed() {
        Bucket bucket = bucketWith("live", "deleted", "purged");
        bucket.delete("deleted");
        bucket.purge("purged");

        assertThat(bucket.keys()).containsExactly("live");
    }

    @Test
    void keyWrittenAgainAfterDeleteIsListed() {
        Bucket bucket = bucketWith("k");
        bucket.delete("k");
        bucket.put("k", "again");

        assertThat(bucket.keys()).containsExactly("k");
    }

    @Test
    void starMatchesExactlyOneToken() {
        Bucket bucket = bucketWith("users", "users.a", "users.b", "users.a.b", "usersx.a", "other.a");

        assertThat(bucket.keys(List.of("users.*"))).containsExactly("users.a", "users.b");
    }

    @Test
    void greaterThanMatchesOneOrMoreTrailingTokens() {
        Bucket bucket = bucketWith("users", "users.a", "users.a.b", "usersx.a", "other.users.a");

        assertThat(bucket.keys(List.of("users.>"))).containsExactly("users.a", "users.a.b");
    }

    @Test
    void wildcardsMayStandForInnerTokens() {
        Bucket bucket = bucketWith("users.a.name", "users.b.name", "users.b.mail", "users.name", "x.a.name");

        assertThat(bucket.keys(List.of("users.*.name"))).containsExactly("users.a.name", "users.b.name");
        assertThat(bucket.keys(List.of("*.a.>"))).containsExactly("users.a.name", "x.a.name");
    }

    @Test
    void greaterThanAloneMatchesEveryKey() {
        Bucket bucket = bucketWith("a", "a.b", "c.d.e");

        assertThat(bucket.keys(List.of(">"))).containsExactly("a", "a.b", "c.d.e");
    }

    @Test
    void starAloneMatchesSingleTokenKeys() {
        Bucket bucket = bucketWith("a", "a.b", "c");

        assertThat(bucket.keys(List.of("*"))).containsExactly("a", "c");
    }

    @Test
    void literalFilterMatchesOnlyThatKey() {
        Bucket bucket = bucketWith("a", "a.b", "ab");

        assertThat(bucket.keys(List.of("a"))).containsExactly("a");
        assertThat(bucket.keys(List.of("zzz"))).isEmpty();
    }

    @Test
    void severalFiltersGiveTheSortedUnion() {
        Bucket bucket = bucketWith("z.1", "a.1", "m", "q.2");

        assertThat(bucket.keys(List.of("z.*", "m", "a.>"))).containsExactly("a.1", "m", "z.1");
    }

    @Test
    void filteredListingSkipsDeletedKeys() {
        Bucket bucket = bucketWith("users.a", "users.b");
        bucket.delete("users.a");

        assertThat(bucket.keys(List.of("users.*"))).containsExactly("users.b");
    }

    @Test
    void keysWithEveryAllowedCharacterAreListed() {
        Bucket bucket = bucketWith("a-b/c_d=e.F9", "0");

        assertThat(bucket.keys()).containsExactly("0", "a-b/c_d=e.F9");
    }
}
