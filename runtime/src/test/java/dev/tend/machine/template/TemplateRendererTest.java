package dev.tend.machine.template;

import dev.tend.machine.spi.TemplateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TemplateRendererTest {

    private static final Map<String, Object> DATA = data();
    private static final Map<String, Object> FACTS = facts();

    private final TemplateRenderer renderer = new TemplateRenderer(() -> DATA, () -> FACTS);

    private static Map<String, Object> data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", "web");
        d.put("count", 3);
        d.put("ratio", 1.5);
        d.put("whole", 2.0);
        d.put("huge", 1e21);
        d.put("tiny", 1e-7);
        d.put("tinier", 1.5e-9);
        d.put("flag", true);
        d.put("nothing", null);
        d.put("empty", "");
        d.put("list", List.of("a", "b", "c"));
        d.put("nums", List.of(1, 2, 3));
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("k", "v");
        obj.put("n", 1);
        d.put("obj", obj);
        d.put("a.b", "dotted");
        Map<String, Object> ann = new LinkedHashMap<>();
        ann.put("name", "ann");
        ann.put("age", 30);
        Map<String, Object> bob = new LinkedHashMap<>();
        bob.put("name", "bob");
        bob.put("age", 40);
        d.put("users", List.of(ann, bob));
        d.put("b64", "aGVsbG8gd29ybGQ=");
        d.put("mixed", "hELLO wORLD");
        d.put("PLUGINS_machines", Map.of("spec", "abc"));
        d.put("star*key", "literal star");
        d.put("#", "hash key");
        return d;
    }

    private static Map<String, Object> facts() {
        Map<String, Object> interfaces = new LinkedHashMap<>();
        interfaces.put("eth0", Map.of("ip", "10.0.0.1"));
        interfaces.put("lo", Map.of("ip", "127.0.0.1"));
        return Map.of(
                "fqdn", "node1.example.com",
                "cpus", 4,
                "os", Map.of("family", "debian", "release", Map.of("major", "12", "full", "12.5")),
                "networking", Map.of("interfaces", interfaces));
    }

    static Stream<Arguments> renders() {
        return Stream.of(
                // text and literals
                arguments("plain text", "plain text"),
                arguments("a }} b", "a }} b"),
                arguments("{{ \"hi\" }}", "hi"),
                arguments("{{ `raw \\n` }}", "raw \\n"),
                arguments("{{ `multi\nline` | ToUpper }}", "MULTI\nLINE"),
                arguments("{{ \"tab\\tnew\\nline\" }}", "tab\tnew\nline"),
                arguments("{{ \"\\x41\\u00e9\\U0001F600\\101\\xc3\\xa9\" }}", "Aé😀Aé"),
                arguments("{{ \"quote \\\" and \\\\\" }}", "quote \" and \\"),
                arguments("{{ \"}}\" }}", "}}"),
                arguments("{{ 42 }}", "42"),
                arguments("{{ -7 }}", "-7"),
                arguments("{{ 1.50 }}", "1.5"),
                arguments("{{ 0x1F }}", "31"),
                arguments("{{ 0755 }}", "493"),
                arguments("{{ 1_000 }}", "1000"),
                arguments("{{ 1e3 }}", "1000"),
                arguments("{{ true }}", "true"),
                arguments("{{ . }}", "<no value>"),
                arguments("{{lookup \"data.name\" \"\"}}-{{lookup \"data.count\" 0}}", "web-3"),
                // lookup: values and defaults
                arguments("{{ lookup \"data.name\" \"x\" }}", "web"),
                arguments("{{ lookup \"data.missing\" \"fallback\" }}", "fallback"),
                arguments("{{ lookup \"data.missing\" 5 }}", "5"),
                arguments("{{ lookup \"data.missing\" nil }}", "<no value>"),
                arguments("{{ lookup \"data.count\" 0 }}", "3"),
                arguments("{{ lookup \"data.ratio\" 0 }}", "1.5"),
                arguments("{{ lookup \"data.whole\" 0 }}", "2"),
                arguments("{{ lookup \"data.huge\" 0 }}", "1e+21"),
                arguments("{{ lookup \"data.tiny\" 0 }}", "0.0000001"),
                arguments("{{ lookup \"data.tinier\" 0 }}", "1.5e-9"),
                arguments("{{ lookup \"data.flag\" false }}", "true"),
                arguments("{{ lookup \"data.nothing\" \"d\" }}", "<no value>"),
                arguments("{{ lookup \"data.empty\" \"d\" }}", ""),
                arguments("{{ lookup \"data.list\" \"\" }}", "[\"a\",\"b\",\"c\"]"),
                arguments("{{ lookup \"data.obj\" \"\" }}", "{\"k\":\"v\",\"n\":1}"),
                arguments("{{ lookup \"data.users\" \"\" }}", "[{\"name\":\"ann\",\"age\":30},{\"name\":\"bob\",\"age\":40}]"),
                // gjson paths
                arguments("{{ lookup \"data.list.1\" \"\" }}", "b"),
                arguments("{{ lookup \"data.list.9\" \"none\" }}", "none"),
                arguments("{{ lookup \"data.list.#\" 0 }}", "3"),
                arguments("{{ lookup \"data.users.#.name\" \"\" }}", "[\"ann\",\"bob\"]"),
                arguments("{{ lookup \"data.users.1.age\" 0 }}", "40"),
                arguments("{{ lookup `data.a\\.b` \"\" }}", "dotted"),
                arguments("{{ lookup \"data.a\\\\.b\" \"\" }}", "dotted"),
                arguments("{{ lookup `data.star\\*key` \"\" }}", "literal star"),
                arguments("{{ lookup `data.\\#` \"\" }}", "hash key"),
                arguments("{{ lookup \"data.PLUGINS_machines.spec\" \"\" }}", "abc"),
                arguments("{{ lookup \"data.name.deeper\" \"d\" }}", "d"),
                arguments("{{ lookup \"data.obj.#\" \"d\" }}", "d"),
                arguments("{{ lookup \"facts.os.family\" \"\" }}", "debian"),
                arguments("{{ lookup \"facts.os.release.major\" \"\" }}", "12"),
                arguments("{{ lookup \"facts.networking.interfaces.eth*.ip\" \"\" }}", "10.0.0.1"),
                arguments("{{ lookup \"facts.networking.interfaces.?o.ip\" \"\" }}", "127.0.0.1"),
                arguments("{{ lookup \"facts.networking.interfaces.*.ip\" \"\" }}", "10.0.0.1"),
                arguments("{{ lookup \"facts.cpus\" 1 }}", "4"),
                // functions and pipes
                arguments("{{ lookup \"facts.fqdn\" \"\" | ToUpper }}", "NODE1.EXAMPLE.COM"),
                arguments("{{ lookup \"data.mixed\" \"\" | Title }}", "Hello World"),
                arguments("{{ Capitalize \"don't stop-me now\" }}", "Don't Stop-Me Now"),
                arguments("{{ Title \"hello_world foo.bar\" }}", "Hello_world Foo.bar"),
                arguments("{{ ToLower \"MiXeD\" }}", "mixed"),
                arguments("{{ ToUpper 42 }}", "42"),
                arguments("{{ StringsJoin (lookup \"data.list\" \"\") }}", "a, b, c"),
                arguments("{{ lookup \"data.nums\" \"\" | StringJoin }}", "1, 2, 3"),
                arguments("{{ Base64Encode \"hello world\" }}", "aGVsbG8gd29ybGQ="),
                arguments("{{ lookup \"data.b64\" \"\" | Base64Decode }}", "hello world"),
                arguments("{{ \"héllo\" | Base64Encode | Base64Decode }}", "héllo"),
                arguments("{{ (lookup \"data.name\" \"\") }}", "web"),
                arguments("{{ ToUpper (lookup \"data.missing\" \"dflt\" | Title) }}", "DFLT"),
                arguments("{{ \"x\" | lookup \"data.missing\" }}", "x"),
                // trim markers and comments
                arguments("a\n  {{- \"b\" -}}  \n c", "abc"),
                arguments("a {{- \"b\" }} c", "ab c"),
                arguments("a {{ \"b\" -}} c", "a bc"),
                arguments("{{-3}}", "-3"),
                arguments("x {{/* a comment */}} y", "x  y"),
                arguments("x {{- /* trimmed */ -}} y", "xy"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource
    void renders(String template, String expected) throws TemplateException {
        assertThat(renderer.render(template)).isEqualTo(expected);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("{{ lokup \"data.x\" \"\" }}", "unknown function \"lokup\" at column 4 (did you mean \"lookup\"?)"),
                arguments("{{ printf \"%s\" \"x\" }}", "unknown function \"printf\" at column 4"),
                arguments("{{ if true }}x{{ end }}", "\"if\" is not supported (only function calls, literals and pipes are) at column 4"),
                arguments("{{ range . }}", "\"range\" is not supported (only function calls, literals and pipes are) at column 4"),
                arguments("{{ $x := 1 }}", "variables are not supported (only function calls, literals and pipes are) at column 4"),
                arguments("{{ .Data.x }}", "field .Data.x is not supported: templates have no dot context; use lookup"
                        + " \"data.<key>\" or lookup \"facts.<key>\" at column 4"),
                arguments("{{ lookup \"data.x\" }}", "wrong number of arguments for lookup: want 2, got 1 at column 4"),
                arguments("{{ \"d\" | lookup \"data.x\" \"y\" }}",
                        "wrong number of arguments for lookup: want 2, got 3 (with the piped value) at column 10"),
                arguments("{{ ToUpper }}", "wrong number of arguments for ToUpper: want 1, got 0 at column 4"),
                arguments("{{ ToUpper ToLower }}", "wrong number of arguments for ToLower: want 1, got 0 at column 12"),
                arguments("{{ lookup \"data.x\" \"d\"", "unclosed action (missing \"}}\") at column 1"),
                arguments("{{ \"abc }}", "unterminated quoted string at column 4"),
                arguments("{{ `abc }}", "unterminated raw string at column 4"),
                arguments("{{ }}", "empty action at column 1"),
                arguments("{{ () }}", "empty parentheses at column 4"),
                arguments("{{ \"a\" \"b\" }}", "unexpected string \"b\" after string \"a\" (only a function takes arguments) at column 8"),
                arguments("{{ \"a\" | \"b\" }}", "string \"b\" cannot follow \"|\" (only a function can take the piped value) at column 10"),
                arguments("{{ \"a\" | }}", "missing function after \"|\" at column 8"),
                arguments("{{ (lookup \"data.x\" \"\" }}", "unclosed \"(\" at column 4"),
                arguments("{{ lookup \"data.x\" \"\") }}", "unexpected \")\" at column 22"),
                arguments("{{ lookup \"x.y\" \"\" }}", "lookup: path \"x.y\" must start with \"facts.\" or \"data.\" at column 4"),
                arguments("{{ lookup \"data\" \"\" }}", "lookup: path \"data\" must start with \"facts.\" or \"data.\" at column 4"),
                arguments("{{ lookup 1 \"\" }}", "lookup: the path must be a string, not a number at column 4"),
                arguments("{{ lookup \"data.x.#(a=1)\" \"\" }}",
                        "lookup: gjson queries (#(...)) are not supported in \"data.x.#(a=1)\" at column 4"),
                arguments("{{ lookup \"data.x|@reverse\" \"\" }}",
                        "lookup: gjson pipes (|) are not supported in \"data.x|@reverse\" at column 4"),
                arguments("{{ Base64Decode \"%%%\" }}", "Base64Decode: illegal base64 data: Illegal base64 character 25 at column 4"),
                arguments("{{ lookup \"data.a\\.b\" \"\" }}", "invalid escape \"\\.\" in string (to escape a dot in a lookup"
                        + " path write \\\\. or use a `raw string`) at column 18"),
                arguments("{{ \"\\q\" }}", "invalid escape \"\\q\" in string at column 5"),
                arguments("{{ StringsJoin \"abc\" }}", "StringsJoin: expected a list, got a string at column 4"),
                arguments("{{ ToUpper (lookup \"data.obj\" \"\") }}", "ToUpper: expected a string, got an object at column 4"),
                arguments("{{ Title . }}", "Title: expected a string, got no value at column 4"),
                arguments("{{ 'a' }}", "character constants are not supported at column 4"),
                arguments("{{ 12abc }}", "bad number syntax: \"12abc\" at column 4"),
                arguments("{{ 089 }}", "bad number syntax: \"089\" at column 4"),
                arguments("{{ nil }}", "nil is not a command at column 4"),
                arguments("{{ \"a\", \"b\" }}", "unexpected character ',' in action at column 7"),
                arguments("{{/* unclosed", "unclosed comment at column 1"),
                arguments("{{/* c */ x }}", "comment ends before closing delimiter at column 8"),
                arguments("line one\n{{ bad }}", "unknown function \"bad\" at line 2 column 4"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource
    void errors(String template, String expected) {
        assertThatThrownBy(() -> renderer.render(template))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template \"" + quoted(template) + "\": " + expected);
    }

    private static String quoted(String template) {
        return template.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Test
    void theBriefsExampleMessage() {
        assertThatThrownBy(() -> renderer.render("{{ lokup \"facts.x\" \"\" }}"))
                .hasMessageStartingWith("template \"{{ lokup \\\"facts.x\\\" \\\"\\\" }}\": unknown function \"lokup\" at column 4");
    }

    @Test
    void longTemplatesAreShortenedInMessagesWhichStayOnOneLine() {
        String template = "first line\n" + "x".repeat(100) + " {{ nope }}";
        assertThatThrownBy(() -> renderer.render(template))
                .hasMessage("template \"first line\\n" + "x".repeat(46) + "...\": unknown function \"nope\""
                        + " at line 2 column 105");
    }

    @Test
    void textWithoutActionsIsReturnedWithoutParsingOrReading() throws TemplateException {
        Supplier<Map<String, Object>> refuses = () -> {
            throw new AssertionError("read");
        };
        TemplateRenderer lazy = new TemplateRenderer(refuses, refuses);

        assertThat(lazy.render("no {actions} here }}")).isEqualTo("no {actions} here }}");
        assertThat(lazy.render("{{ ToUpper \"only a literal\" }}")).isEqualTo("ONLY A LITERAL");
        assertThat(lazy.cachedTemplates()).isEqualTo(1);
    }

    @Test
    void dataAndFactsAreReadOncePerRenderingAndOnlyWhenNeeded() throws TemplateException {
        AtomicInteger dataReads = new AtomicInteger();
        AtomicInteger factReads = new AtomicInteger();
        TemplateRenderer counting = new TemplateRenderer(() -> {
            dataReads.incrementAndGet();
            return DATA;
        }, () -> {
            factReads.incrementAndGet();
            return FACTS;
        });

        counting.render("{{ lookup \"data.name\" \"\" }} {{ lookup \"data.count\" 0 }}");

        assertThat(dataReads).hasValue(1);
        assertThat(factReads).hasValue(0);
    }

    static Stream<Arguments> overrides() {
        return Stream.of(
                arguments("{{ o \"warn\" 10 }}", "15"),
                arguments("{{ o \"crit\" 20 }}", "20"),
                arguments("{{ o \"mode\" \"x\" }}", "fast"),
                arguments("{{ o \"ratio\" 1 }}", "1.5"),
                arguments("{{ o \"nested.level\" 0 }}", "3"),
                arguments("{{ o \"nested\" \"\" }}", "{\"level\":3}"),
                arguments("{{ o \"list.1\" \"\" }}", "b"),
                arguments("{{ o \"nothing\" \"default\" }}", ""),
                arguments("{{ o \"on\" false }}", "true"),
                arguments("-w {{ o \"warn\" 5 }} -c {{ o \"crit\" 10 | ToUpper }}", "-w 15 -c 10"));
    }

    /** Scout's {@code o "path" default}: the machine's own overrides as text, the default when the path is absent. */
    @ParameterizedTest
    @MethodSource("overrides")
    void oReadsTheMachinesOverrides(String template, String expected) throws TemplateException {
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("warn", 15);
        own.put("mode", "fast");
        own.put("ratio", 1.5);
        own.put("nested", Map.of("level", 3));
        own.put("list", List.of("a", "b"));
        own.put("nothing", null);
        own.put("on", true);
        assertThat(new TemplateRenderer(() -> DATA, () -> FACTS, () -> own).render(template)).isEqualTo(expected);
    }

    @Test
    void withoutOverridesOGivesItsDefault() throws TemplateException {
        assertThat(renderer.render("-w {{ o \"warn\" 5 }} -c {{ o \"crit\" \"10%\" }}")).isEqualTo("-w 5 -c 10%");
    }

    @Test
    void everyRenderingSeesTheCurrentData() throws TemplateException {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("v", "one"));
        TemplateRenderer live = new TemplateRenderer(() -> Map.copyOf(data), Map::of);
        String template = "{{ lookup \"data.v\" \"\" }}";

        assertThat(live.render(template)).isEqualTo("one");
        data.put("v", "two");
        assertThat(live.render(template)).isEqualTo("two");
        assertThat(live.cachedTemplates()).isEqualTo(1);
    }

    @Test
    void theCacheIsBounded() throws TemplateException {
        for (int i = 0; i < 300; i++) {
            renderer.render("{{ " + i + " }}");
        }
        assertThat(renderer.cachedTemplates()).isEqualTo(256);
    }

    @Test
    void badTemplatesFailEveryTime() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> renderer.render("{{ nope }}")).isInstanceOf(TemplateException.class);
        }
    }

    @Test
    void checkReportsSyntaxErrorsWithoutRendering() throws TemplateException {
        TemplateRenderer.check("{{ lookup \"data.x\" \"\" | ToUpper }}");
        TemplateRenderer.check("plain");

        assertThatThrownBy(() -> TemplateRenderer.check("{{ lookup \"data.x\" }}"))
                .hasMessageEndingWith("wrong number of arguments for lookup: want 2, got 1 at column 4");
    }

    @Test
    void concurrentRenderingsAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String template = "{{ lookup \"data.name\" \"\" | ToUpper }}-{{ " + (i % 10) + " }}";
                results.add(pool.submit(() -> renderer.render(template)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("WEB-" + (i % 10));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
