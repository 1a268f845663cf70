package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Durability;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.WrongRevisionException;
import dev.tend.kv.contract.KvModel;
import dev.tend.kv.contract.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of writes and reads over a few keys with a small history limit, run against the embedded
 * store and {@link KvModel} side by side: every result, and the whole visible state after every step, must agree.
 */
class EmbeddedModelPropertiesTest {

    private static final List<String> KEYS = List.of("a", "b", "c.x", "c.y");
    private static final List<String> FILTERS = List.of(">", "*", "c.*", "c.>", "a");
    private static final List<String> VALUES = List.of("", "v1", "v2", "\u0000\u00ff", "long value ".repeat(20));

    enum Action { PUT, CREATE, UPDATE, DELETE, CAS_DELETE, PURGE, CAS_PURGE, PURGE_ALL, GET, GET_AT, HISTORY, KEYS }

    /** Which revision a CAS write expects or a read asks for, relative to the model's state. */
    enum Rev { KEY_LATEST, ZERO, KEY_LATEST_MINUS_ONE, BUCKET_LAST, AHEAD, FIRST, MIDDLE }

    record Step(Action action, String key, String value, Rev rev, String filter) {
        @Override
        public String toString() {
            return switch (action) {
                case PUT, CREATE -> action + " " + key + "=" + value.length() + "b";
                case UPDATE, CAS_DELETE, CAS_PURGE, GET_AT -> action + " " + key + "@" + rev;
                case KEYS -> action + " " + filter;
                case PURGE_ALL -> action.toString();
                default -> action + " " + key;
            };
        }
    }

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final MutableClock clock = new MutableClock();
    private Path dir;
    private KvStore store;

    @BeforeProperty
    void open() throws IOException {
        dir = Files.createTempDirectory("tend-model");
        store = KvStore.builder().directory(dir).clock(clock).durability(Durability.RELAXED).build();
    }

    @AfterProperty
    void close() throws IOException {
        if (store != null) {
            store.close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Action> actions = Arbitraries.frequency(
                Tuple.of(6, Action.PUT), Tuple.of(3, Action.CREATE), Tuple.of(3, Action.UPDATE),
                Tuple.of(3, Action.DELETE), Tuple.of(2, Action.CAS_DELETE), Tuple.of(2, Action.PURGE),
                Tuple.of(2, Action.CAS_PURGE), Tuple.of(1, Action.PURGE_ALL), Tuple.of(1, Action.GET),
                Tuple.of(2, Action.GET_AT), Tuple.of(1, Action.HISTORY), Tuple.of(1, Action.KEYS));
        return Combinators.combine(actions, Arbitraries.of(KEYS), Arbitraries.of(VALUES),
                        Arbitraries.of(Rev.class), Arbitraries.of(FILTERS))
                .as(Step::new)
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 150)
    void embeddedStoreBehavesLikeTheModel(@ForAll @IntRange(min = 1, max = 4) int history,
                                          @ForAll("steps") List<Step> steps) {
        String name = "model_" + BUCKETS.incrementAndGet();
        Bucket bucket = store.create(BucketConfig.builder(name).history(history).build());
        KvModel model = new KvModel(name, history, clock);
        try {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String where = "step " + i + " (" + step + ") of " + steps;
                assertThat(run(bucket, step, model)).as(where).isEqualTo(run(model, step));
                assertSameState(bucket, model, where);
            }
        } finally {
            store.delete(name);
        }
    }

    private static long revision(KvModel model, Step step) {
        long latest = model.latestRevision(step.key());
        return switch (step.rev()) {
            case KEY_LATEST -> latest;
            case ZERO -> 0;
            case KEY_LATEST_MINUS_ONE -> Math.max(0, latest - 1);
            case BUCKET_LAST -> model.lastRevision();
            case AHEAD -> model.lastRevision() + 1;
            case FIRST -> 1;
            case MIDDLE -> model.lastRevision() / 2;
        };
    }

    /** Runs the step on the bucket; the revision argument is computed from the model before it changes. */
    private static Object run(Bucket b, Step s, KvModel model) {
        long rev = revision(model, s);
        byte[] v = s.value().getBytes(StandardCharsets.UTF_8);
        return outcome(() -> switch (s.action()) {
            case PUT -> b.put(s.key(), v);
            case CREATE -> b.create(s.key(), v);
            case UPDATE -> b.update(s.key(), v, rev);
            case DELETE -> b.delete(s.key());
            case CAS_DELETE -> b.delete(s.key(), rev);
            case PURGE -> b.purge(s.key());
            case CAS_PURGE -> b.purge(s.key(), rev);
            case PURGE_ALL -> {
                b.purgeAll();
                yield "purged";
            }
            case GET -> b.get(s.key());
            case GET_AT -> b.get(s.key(), rev);
            case HISTORY -> b.history(s.key());
            case KEYS -> b.keys(List.of(s.filter()));
        });
    }

    private static Object run(KvModel m, Step s) {
        long rev = revision(m, s);
        byte[] v = s.value().getBytes(StandardCharsets.UTF_8);
        return outcome(() -> switch (s.action()) {
            case PUT -> m.put(s.key(), v);
            case CREATE -> m.create(s.key(), v);
            case UPDATE -> m.update(s.key(), v, rev);
            case DELETE -> m.delete(s.key());
            case CAS_DELETE -> m.delete(s.key(), rev);
            case PURGE -> m.purge(s.key());
            case CAS_PURGE -> m.purge(s.key(), rev);
            case PURGE_ALL -> {
                m.purgeAll();
                yield "purged";
            }
            case GET -> m.get(s.key());
            case GET_AT -> m.get(s.key(), rev);
            case HISTORY -> m.history(s.key());
            case KEYS -> m.keys(List.of(s.filter()));
        });
    }

    /** A result, or for an error its type and, for CAS errors, the revisions it reports. */
    private static Object outcome(Supplier<Object> call) {
        try {
            return call.get();
        } catch (WrongRevisionException e) {
            return e.getClass().getSimpleName() + "(expected " + e.expected() + ", actual " + e.actual() + ")";
        } catch (KvException e) {
            return e.getClass().getSimpleName();
        }
    }

    private static void assertSameState(Bucket bucket, KvModel model, String where) {
        for (String key : KEYS) {
            List<Entry> history = bucket.history(key);
            assertThat(history).as("history of %s after %s", key, where).isEqualTo(model.history(key));
            assertThat(bucket.get(key)).as("get %s after %s", key, where).isEqualTo(model.get(key));
        }
        assertThat(bucket.keys()).as("keys after %s", where).isEqualTo(model.keys(List.of()));
        BucketStatus status = bucket.status();
        assertThat(status.lastRevision()).as("last revision after %s", where).isEqualTo(model.lastRevision());
        assertThat(status.values()).as("values after %s", where).isEqualTo(model.values());
    }
}
