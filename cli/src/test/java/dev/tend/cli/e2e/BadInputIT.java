package dev.tend.cli.e2e;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input, end to end: each error is one line on stderr starting {@code tend: }, with the exit status the spec
 * gives (1 not found, 2 usage or validation, 3 a write the bucket's limits refuse — see docs/architecture.md), no
 * stack trace, and the store is left as it was.
 *
 * <p>Most bad input is refused while the command line is read, before any store is opened ({@link Case#parse}):
 * such a case runs here only, with {@code TEND_STORE} naming a store that cannot be opened, which shows it never
 * reaches one, so on another backend ({@link NatsBadInputIT}) it could not differ. After each case the store is
 * compared with how it was before, read through the library in this process (every bucket's status, with its last
 * revision, and every key's history); after the last case once more as {@code tend} shows it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(1) // long: started first
class BadInputIT {

    private Path tmp;

    private Tend tend;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        tmp = dir;
        tend = Tend.on(backend(), tmp);
        assertOk(tend.run("kv", "add", "CFG", "--history", "5", "--max-value-size", "100",
                "--max-bucket-size", "10KiB"));
        assertOk(tend.run("kv", "put", "CFG", "username", "myservice"));
        assertOk(tend.run("kv", "put", "CFG", "username", "other"));
        assertOk(tend.run("kv", "put", "CFG", "port", "8080"));
    }

    /** The store the commands run on; {@link NatsBadInputIT} runs every case on NATS. */
    Tend.Backend backend() {
        return Tend.Backend.EMBEDDED;
    }

    Tend tend() {
        return tend;
    }

    /** What the refusal of 3 replicas must mention: what would take them. */
    String replicasHint() {
        return "NATS";
    }

    @AfterAll
    void tearDown() {
        tend.close();
    }

    /** Everything a user can see of the store, as {@code tend} shows it. */
    private String snapshot() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String[] args : List.of(
                new String[] {"kv", "ls", "--json"},
                new String[] {"kv", "history", "CFG", "username", "--json"},
                new String[] {"kv", "history", "CFG", "port", "--json"})) {
            Tend.Result r = tend.run(args);
            assertOk(r);
            sb.append(r.command()).append('\n').append(r.out()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The store read through the library, without starting a process: every bucket's status (config, values, bytes,
     * last revision: any write moves it) and the whole history of each of its keys.
     */
    private String storeState() {
        StringBuilder sb = new StringBuilder();
        try (KvStore store = KvStore.open(tend.storeUrl())) {
            for (BucketStatus status : store.list()) {
                sb.append(status).append('\n');
                Bucket bucket = store.bucket(status.config().name());
                for (String key : new TreeSet<>(Stream.concat(bucket.keys().stream(), Stream.of("username", "port"))
                        .toList())) {
                    for (Entry e : bucket.history(key)) {
                        sb.append("  ").append(e.key()).append(' ').append(e.revision()).append(' ')
                                .append(e.operation()).append(' ').append(e.created()).append(' ')
                                .append(Base64.getEncoder().encodeToString(e.value())).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private record Case(String name, int code, String messagePart, byte[] stdin, boolean parse, String... args) {
        static Case of(String name, int code, String messagePart, String... args) {
            return new Case(name, code, messagePart, null, false, args);
        }

        /** Input refused while the command line is read, before a store is opened. */
        static Case parse(String name, int code, String messagePart, String... args) {
            return new Case(name, code, messagePart, null, true, args);
        }

        @Override
        public String toString() {
            return name + ": tend " + String.join(" ", args);
        }
    }

    private static String big(int n) {
        return "x".repeat(n);
    }

    private List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // bucket names
        c.add(Case.parse("bucket name with a dot", 2, "a.b", "kv", "add", "a.b"));
        c.add(Case.parse("bucket name with a space", 2, "a b", "kv", "add", "a b"));
        c.add(Case.parse("bucket name too long", 2, null, "kv", "add", big(253)));
        c.add(Case.parse("bucket name invalid on put", 2, "no*pe", "kv", "put", "no*pe", "k", "v"));
        c.add(Case.parse("bucket name invalid on get", 2, "C.FG", "kv", "get", "C.FG", "k"));
        // keys
        c.add(Case.parse("key with a leading dot", 2, ".lead", "kv", "put", "CFG", ".lead", "v"));
        c.add(Case.parse("key with a trailing dot", 2, "trail.", "kv", "put", "CFG", "trail.", "v"));
        c.add(Case.parse("key with ..", 2, "a..b", "kv", "put", "CFG", "a..b", "v"));
        c.add(Case.parse("key with a space", 2, "sp ace", "kv", "put", "CFG", "sp ace", "v"));
        c.add(Case.parse("key with a wildcard on put", 2, "a*", "kv", "put", "CFG", "a*", "v"));
        c.add(Case.parse("invalid key on get", 2, "bad key", "kv", "get", "CFG", "bad key"));
        c.add(Case.parse("invalid key on del", 2, "..", "kv", "del", "CFG", "..", "-f"));
        c.add(Case.parse("invalid key on history", 2, "a b", "kv", "history", "CFG", "a b"));
        // limits: refused by the bucket's config (ConflictException -> 3 per docs/architecture.md)
        c.add(Case.of("value over the max value size", 3, null, "kv", "put", "CFG", "username", big(101)));
        c.add(new Case("value over the max value size from stdin", 3, null,
                big(200).getBytes(StandardCharsets.UTF_8), false, "kv", "put", "CFG", "username", "-"));
        // history and replicas
        c.add(Case.parse("history 0", 2, "history", "kv", "add", "NEW", "--history", "0"));
        c.add(Case.parse("history 65", 2, "history", "kv", "add", "NEW", "--history", "65"));
        c.add(Case.parse("history not a number", 2, null, "kv", "add", "NEW", "--history", "five"));
        c.add(Case.of("replicas 3 on one store", 2, replicasHint(), "kv", "add", "NEW", "--replicas", "3"));
        // unknown bucket
        c.add(Case.of("unknown bucket on get", 1, "NOPE", "kv", "get", "NOPE", "k"));
        c.add(Case.of("unknown bucket on put", 1, "NOPE", "kv", "put", "NOPE", "k", "v"));
        c.add(Case.of("unknown bucket on info", 1, "NOPE", "kv", "info", "NOPE"));
        c.add(Case.of("unknown bucket on history", 1, "NOPE", "kv", "history", "NOPE", "k"));
        c.add(Case.of("unknown bucket on keys", 1, "NOPE", "kv", "keys", "NOPE"));
        c.add(Case.of("unknown bucket on watch", 1, "NOPE", "kv", "watch", "NOPE", "--timeout", "1s"));
        c.add(Case.of("unknown bucket on rm", 1, "NOPE", "kv", "rm", "NOPE", "-f"));
        c.add(Case.of("unknown bucket on purge", 1, "NOPE", "kv", "purge", "NOPE", "-f"));
        c.add(Case.of("unknown bucket on del", 1, "NOPE", "kv", "del", "NOPE", "k", "-f"));
        c.add(Case.of("unknown key on get", 1, "nokey", "kv", "get", "CFG", "nokey"));
        // durations
        c.add(Case.parse("bare number as ttl", 2, "add a unit", "kv", "add", "NEW", "--ttl", "10"));
        c.add(Case.parse("months as ttl", 2, "1M", "kv", "add", "NEW", "--ttl", "1M"));
        c.add(Case.parse("years as ttl", 2, "1y", "kv", "add", "NEW", "--ttl", "1y"));
        c.add(Case.parse("word as ttl", 2, "soon", "kv", "add", "NEW", "--ttl", "soon"));
        c.add(Case.parse("bare number as watch timeout", 2, "add a unit", "kv", "watch", "CFG", "--timeout", "5"));
        c.add(Case.parse("bad compact age", 2, "abc", "kv", "compact", "CFG", "--older-than", "abc", "-f"));
        // sizes
        c.add(Case.parse("unknown size unit", 2, "10XB", "kv", "add", "NEW", "--max-value-size", "10XB"));
        c.add(Case.parse("negative size", 2, "-5", "kv", "add", "NEW", "--max-bucket-size", "-5"));
        c.add(Case.parse("word as size", 2, "lots", "kv", "add", "NEW", "--max-bucket-size", "lots"));
        // usage
        c.add(Case.parse("del without a key", 2, null, "kv", "del", "CFG"));
        c.add(Case.of("del without -f and without a terminal", 2, null, "kv", "del", "CFG", "username"));
        c.add(Case.of("purge without -f and without a terminal", 2, null, "kv", "purge", "CFG"));
        c.add(Case.of("rm without -f and without a terminal", 2, null, "kv", "rm", "CFG"));
        c.add(Case.parse("put without a value", 2, null, "kv", "put", "CFG", "k"));
        c.add(Case.parse("unknown option", 2, "--nosuch", "kv", "get", "CFG", "username", "--nosuch"));
        c.add(Case.parse("unknown subcommand", 2, null, "kv", "frobnicate"));
        c.add(Case.parse("update without --revision", 2, null, "kv", "update", "CFG", "username", "v"));
        c.add(Case.parse("get at a non-numeric revision", 2, null, "kv", "get", "CFG", "username", "--revision",
                "x"));
        return c;
    }

    /** True for the cases this class runs: all of them here; a subclass may leave out those refused on parsing. */
    boolean runs(boolean refusedOnParsing) {
        return true;
    }

    @TestFactory
    Stream<DynamicTest> eachBadInputIsOneLineAndLeavesTheStoreAlone() throws Exception {
        String before = snapshot();
        String state = storeState();
        Path unusable = Files.writeString(tmp.resolve("not-a-store"), "x");
        Stream<DynamicTest> cases = cases().stream().filter(c -> runs(c.parse())).map(c -> DynamicTest.dynamicTest(
                c.toString(), () -> {
                    Tend.Result r = tend.run(c.stdin(), c.parse() ? Map.of("TEND_STORE", unusable.toString())
                            : Map.of(), c.args());
                    assertOneLineError(r, c.code());
                    if (c.messagePart() != null) {
                        assertThat(r.err()).as(r.describe()).contains(c.messagePart());
                    }
                    assertThat(storeState()).as("the store after " + c).isEqualTo(state);
                }));
        return Stream.concat(cases, Stream.of(DynamicTest.dynamicTest("the store as tend shows it after every case",
                () -> assertThat(snapshot()).isEqualTo(before))));
    }

    @Test
    void unknownKeyMessageIsExact() throws Exception {
        Tend.Result r = tend.run("kv", "get", "CFG", "nokey");
        assertOneLineError(r, 1);
        assertThat(r.err()).isEqualTo("tend: unknown key \"nokey\" in bucket CFG\n");
    }

    @Test
    void aFullBucketRefusesTheWriteAndKeepsWhatItHad() throws Exception {
        assertOk(tend.run("kv", "add", "FULL", "--max-value-size", "100", "--max-bucket-size", "400"));
        Tend.Result refused = null;
        int stored = 0;
        for (int i = 0; i < 20 && refused == null; i++) {
            Tend.Result r = tend.run("kv", "put", "FULL", "k" + i, big(90));
            if (r.code() == 0) {
                stored++;
            } else {
                refused = r;
            }
        }
        assertThat(refused).as("a 400-byte bucket refuses a write before 20 puts of 90 bytes").isNotNull();
        assertOneLineError(refused, 3);
        assertThat(refused.err()).as(refused.describe()).containsIgnoringCase("full");
        assertThat(stored).isPositive();
        String keys = tend.run("kv", "keys", "FULL").out();
        assertThat(keys.lines()).hasSize(stored);
        Tend.Result missing = tend.run("kv", "get", "FULL", "k" + stored);
        assertOneLineError(missing, 1);
        assertOk(tend.run("kv", "rm", "FULL", "-f"));
    }

    @Test
    void anExistingBucketWithAnotherConfigIsRefused() throws Exception {
        String before = snapshot();
        Tend.Result same = tend.run("kv", "add", "CFG", "--history", "5", "--max-value-size", "100",
                "--max-bucket-size", "10KiB");
        assertThat(same.code()).as("adding an equal bucket is a no-op: " + same.describe()).isZero();
        Tend.Result other = tend.run("kv", "add", "CFG", "--history", "7");
        assertThat(other.code()).as(other.describe()).isNotZero();
        assertOneLineError(other, other.code());
        assertThat(other.err()).contains("CFG");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void noStackTraceEvenForAnUnusableStore() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("not-a-dir"), "x");
        Tend.Result r = tend.run(null, java.util.Map.of("TEND_STORE", file.toString()), "kv", "ls");
        assertThat(r.code()).as(r.describe()).isEqualTo(3);
        assertOneLineError(r, 3);
        assertThat(Arrays.asList(r.err().split("\n"))).hasSize(1);
    }
}
