package dev.tend.cli;

import dev.tend.cli.kv.KvContext;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short commands served without picocli ({@link FastPath}) answer and fail exactly as picocli's path does: each
 * command line runs twice, on two byte-for-byte copies of one store, once through the fast path and once through
 * picocli ({@link Cli#withoutFastPaths()}), and stdout, stderr and the exit status must be the same (the store's path
 * aside). Each case also says whether the fast path serves it, so a case meant for it cannot silently go to picocli.
 */
class FastPathTest {
    private static final String STORE = "{store}";

    @TempDir
    Path tmp;
    Path template;

    /** One command line ({@value #STORE} stands for the store's path), whether the fast path serves it, and stdin. */
    record Case(boolean fast, String stdin, List<String> args) {
        @Override
        public String toString() {
            return (fast ? "fast: " : "picocli: ") + String.join(" ", args);
        }
    }

    /** What one run gave, the store's path replaced by {@value #STORE}. */
    record Result(int code, String out, String err) {
    }

    static Case fast(String... args) {
        return new Case(true, "", List.of(args));
    }

    static Case picocli(String... args) {
        return new Case(false, "", List.of(args));
    }

    static Stream<Case> cases() {
        String s = STORE;
        return Stream.of(
                fast("--version"),
                fast("-V"),
                fast(),
                fast("--help"),
                fast("help", "kv"),
                fast("kv", "get", "--help"),
                fast("machine", "ls", "-h"),
                fast("kv", "--store", s, "put", "CFG", "k", "v"),
                fast("kv", "put", "CFG", "k", "v", "--store", s),
                fast("kv", "--store=" + s, "put", "--store-mode", "group", "CFG", "k", "v"),
                new Case(true, "from stdin\n", List.of("kv", "--store", s, "put", "CFG", "k", "-")),
                fast("kv", "--store", s, "put", "CFG", "bad..key", "v"),
                fast("kv", "--store", s, "put", "NOPE", "k", "v"),
                fast("kv", "--store", s, "put", "bad name", "k", "v"),
                fast("kv", "--store", s, "put", "CFG", "big", "x".repeat(2000)),
                fast("kv", "--store", s, "--store-mode", "bogus", "put", "CFG", "k", "v"),
                fast("kv", "--store", s, "create", "CFG", "username", "v"),
                fast("kv", "--store", s, "create", "CFG", "gone", "back"),
                fast("kv", "--store", s, "create", "CFG", "fresh", "v"),
                fast("kv", "--store", s, "update", "CFG", "username", "v2", "--revision", "1"),
                fast("kv", "--store", s, "update", "CFG", "username", "v2", "--revision=2"),
                fast("kv", "--store", s, "update", "CFG", "newkey", "v", "--revision", "0"),
                fast("kv", "--store", s, "update", "CFG", "newkey", "v", "--revision", "999999999999999999"),
                fast("kv", "--store", s, "del", "CFG", "username", "-f"),
                fast("kv", "--store", s, "del", "--force", "CFG", "username"),
                fast("kv", "--store", s, "del", "CFG", "missing", "-f"),
                fast("kv", "--store", s, "del", "CFG", "username"),
                fast("kv", "--store", s, "del", "NOPE", "username", "-f"),
                fast("kv", "--store", s, "get", "CFG", "username"),
                fast("kv", "--store", s, "get", "CFG", "username", "--json"),
                fast("kv", "--store", s, "get", "CFG", "binary"),
                fast("kv", "--store", s, "get", "CFG", "binary", "--json"),
                fast("kv", "--store", s, "get", "CFG", "username", "--revision", "1"),
                fast("kv", "--store", s, "get", "CFG", "username", "--revision", "1", "--raw"),
                fast("kv", "--store", s, "get", "CFG", "username", "--revision", "3"),
                fast("kv", "--store", s, "get", "CFG", "username", "--revision", "0"),
                fast("kv", "--store", s, "get", "CFG", "username", "--raw", "--json"),
                fast("kv", "--store", s, "get", "CFG", "gone"),
                fast("kv", "--store", s, "get", "CFG", "gone", "--json"),
                fast("kv", "--store", s, "get", "NOPE", "k"),
                fast("kv", "--store", s, "get", "CFG", "bad..key"),
                fast("kv", "--store", s, "keys", "CFG"),
                fast("kv", "--store", s, "keys", "CFG", "--json"),
                fast("kv", "--store", s, "keys", "CFG", "user*"),
                fast("kv", "--store", s, "keys", "CFG", "a.>"),
                fast("kv", "--store", s, "keys", "CFG", "a..b"),
                fast("kv", "--store", s, "keys", "NOPE"),
                fast("kv", "--store", s, "keys", "OTHER"),
                fast("kv", "--store", s, "keys", "CFG", "gone"),
                fast("kv", "--store", s, "keys", "CFG", "ключ"),
                fast("kv", "--store", s, "keys", "CFG", "*", "--json"),
                fast("kv", "--store", s, "ls"),
                fast("kv", "--store", s, "ls", "--json"),
                fast("kv", "--store", s, "list"),
                fast("kv", "--store", s + "/nowhere", "ls"),
                fast("kv", "--store", s, "info", "CFG"),
                fast("kv", "--store", s, "info", "CFG", "--json"),
                fast("kv", "--store", s, "status", "CFG"),
                fast("kv", "--store", s, "info", "NOPE"),
                fast("kv", "--store", s, "history", "CFG", "username"),
                fast("kv", "--store", s, "history", "CFG", "username", "--json"),
                fast("kv", "--store", s, "history", "CFG", "gone"),
                fast("kv", "--store", s, "history", "CFG", "missing"),
                fast("kv", "--store", s, "watch", "CFG", "username", "--once"),
                fast("kv", "--store", s, "watch", "CFG", "user*", "--once", "--json"),
                fast("kv", "--store", s, "watch", "CFG", "--timeout", "1s"),
                fast("kv", "--store", s, "watch", "CFG", "--latest", "--json", "--timeout=1s"),
                fast("kv", "--store", s, "watch", "CFG", "--latest", "--updates-only"),
                fast("kv", "--store", s, "watch", "CFG", "--timeout", "0"),
                fast("kv", "--store", s, "watch", "NOPE", "--once"),
                fast("kv", "--store", s, "watch", "CFG", "a..b"),
                fast("machine", "list", "--socket", s + "/no.sock"),
                fast("machine", "ls", "--json", "--socket", s + "/no.sock"),
                fast("machine", "info", "m", "--socket=" + s + "/no.sock"),
                fast("machine", "transition", "m", "e", "--socket", s + "/no.sock"),
                // Shapes left to picocli: help, mistakes, anything unusual.
                picocli("--version", "--help"),
                picocli("--debug", "kv", "--store", s, "get", "CFG", "username"),
                picocli("kv", "--store", s, "put", "CFG", "k"),
                picocli("kv", "--store", s, "put", "CFG", "k", "v", "extra"),
                picocli("kv", "--store", s, "put", "CFG", "k", "v", "--help"),
                picocli("kv", "--store", s, "put", "CFG", "k", "@args"),
                picocli("kv", "--store", s, "put", "CFG", "--", "-k", "v"),
                picocli("kv", "--store", s, "--store", s, "put", "CFG", "k", "v"),
                picocli("kv", "--store", s, "put", "--store", s, "CFG", "k", "v"),
                picocli("kv", "--store", "", "put", "CFG", "k", "v"),
                picocli("kv", "--store", s, "watch", "CFG", "--timeout", "soon"),
                picocli("kv", "--store", s, "watch"),
                picocli("kv", "--store", s, "update", "CFG", "username", "v2"),
                picocli("kv", "--store", s, "update", "CFG", "username", "v2", "--revision", "-1"),
                picocli("kv", "--store", s, "update", "CFG", "username", "v2", "--revision", "01"),
                picocli("kv", "--store", s, "update", "CFG", "username", "v2", "--revision", "x"),
                picocli("kv", "--store", s, "del", "CFG", "username", "-f", "--force"),
                picocli("kv", "--store", s, "del", "CFG", "username", "-fx"),
                picocli("kv", "--store", s, "get", "CFG", "username", "--json", "--json"),
                picocli("kv", "--store", s, "get", "CFG", "username", "--revision", "-2"),
                picocli("kv", "--store", s, "get", "CFG", "username", "--revison", "2"),
                picocli("kv", "--store", s, "keys"),
                picocli("kv", "--store", s, "ls", "CFG"),
                picocli("kv", "--store", s, "gte", "CFG", "username"),
                picocli("kv", "--store", s, "--user", "u", "get", "CFG", "username"),
                picocli("kv", "--store", s),
                picocli("kv"),
                picocli("machine", "list", "--json", "--json"),
                picocli("machine", "info", "--socket", s + "/no.sock"),
                picocli("machine", "transition", "m", "--socket", s + "/no.sock"),
                picocli("machine", "--socket", s + "/no.sock", "list"),
                // An unknown command: one line, the same typed or asked help for.
                picocli("kv", "--store", s, "pt", "CFG", "k", "v"),
                picocli("kv", "pt", "CFG", "k", "v"),
                picocli("help", "kv", "pt"),
                picocli("kv", "pt", "--help"),
                picocli("machine", "lst"),
                picocli("machine", "lst", "--socket", s + "/no.sock"),
                picocli("help", "machine", "lst"),
                picocli("kvv"),
                picocli("help", "kvv"));
    }

    @BeforeEach
    void template() {
        template = tmp.resolve("template");
        try (KvStore store = KvStore.open(template.toUri().toString())) {
            var b = store.create(BucketConfig.builder("CFG").history(5).build());
            b.put("username", "myservice");
            b.put("username", "theirservice");
            b.put("binary", new byte[] {'m', 0, (byte) 0xff, '\n'});
            b.put("a.b", "1");
            b.put("gone", "x");
            b.delete("gone");
            store.create(BucketConfig.builder("OTHER").history(1).build());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void answersAsPicocliDoes(Case c) throws IOException {
        Path a = copy("fast");
        Path b = copy("picocli");
        assertThat(FastPath.parse(argv(c, a), context(a)) != null).as("served by the fast path").isEqualTo(c.fast());
        Result fast = run(c, a, true);
        Result picocli = run(c, b, false);
        assertThat(fast).isEqualTo(picocli);
        assertThat(state(a)).as("what the command left in the store").isEqualTo(state(b));
    }

    /** Every entry of every key the cases touch: revision, operation and value (times differ between runs). */
    private static List<String> state(Path store) {
        List<String> lines = new ArrayList<>();
        try (KvStore s = KvStore.open(store.toUri().toString())) {
            for (String key : List.of("username", "binary", "a.b", "gone", "k", "fresh", "newkey", "big", "missing")) {
                for (var e : s.bucket("CFG").history(key)) {
                    lines.add(key + " " + e.revision() + " " + e.operation() + " "
                            + new String(e.value(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return lines;
    }

    @Test
    void theStoreMayComeFromTheEnvironment() throws IOException {
        Path a = copy("fast");
        Path b = copy("picocli");
        Case c = fast("kv", "get", "CFG", "username");
        Result fast = run(c, a, true);
        assertThat(fast).isEqualTo(run(c, b, false));
        assertThat(fast.out()).startsWith("CFG > username revision 2 created @ ");
        Case info = fast("kv", "info", "CFG");
        assertThat(run(info, a, true)).isEqualTo(run(info, b, false));
    }

    private Path copy(String name) throws IOException {
        Path to = tmp.resolve(name);
        try (Stream<Path> walk = Files.walk(template)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static String[] argv(Case c, Path store) {
        return c.args().stream().map(s -> s.replace(STORE, store.toString())).toArray(String[]::new);
    }

    private Map<String, String> env(Path store) {
        Map<String, String> env = new HashMap<>();
        env.put("NO_COLOR", "1");
        env.put("TZ", "UTC");
        env.put("HOME", tmp.resolve("home").toString());
        env.put("TEND_STORE", store.toString());
        return env;
    }

    private KvContext context(Path store) {
        PrintWriter sink = new PrintWriter(new ByteArrayOutputStream());
        return new KvContext(env(store), new ByteArrayInputStream(new byte[0]), sink, new ByteArrayOutputStream(),
                sink, q -> null);
    }

    private Result run(Case c, Path store, boolean fastPaths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new ByteArrayInputStream(c.stdin().getBytes(StandardCharsets.UTF_8)), out, err, env(store),
                q -> null);
        int code = (fastPaths ? cli : cli.withoutFastPaths()).execute(argv(c, store));
        String where = store.toString();
        String whereUri = store.toUri().toString();
        return new Result(code, normalise(out, whereUri, where), normalise(err, whereUri, where));
    }

    private static String normalise(ByteArrayOutputStream bytes, String uri, String path) {
        return bytes.toString(StandardCharsets.ISO_8859_1).replace(uri, STORE + "/").replace(path, STORE);
    }
}
