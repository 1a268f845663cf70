package dev.tend.machine.hiera;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tiny Hiera resolution, with the documented examples of the reference (its README and its hierarchical data page) as
 * test data: the document and the facts in, the data out.
 */
class HieraResolverTest {

    private static final HieraResolver HIERA = HieraResolver.standard();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The annotated example of the reference's hierarchical data page. */
    private static final String ANNOTATED = """
            hierarchy:
                # Lookup and override order - facts are resolved in expressions
                order:
                 - env:${ lookup('facts.env') }
                 - role:${ lookup('facts.role') }
                 - host:${ lookup('facts.hostname') }
                merge: deep  # "deep" merges all matches; "first" stops at first match

            # Base data - hierarchy results are merged into this
            data:
               log_level: INFO
               packages:
                 - ca-certificates
               web:
                 listen_port: 80
                 tls: false

            # Override sections keyed by hierarchy order entries
            overrides:
                env:prod:
                  log_level: WARN

                role:web:
                  packages:
                    - nginx
                  web:
                    listen_port: 443
                    tls: true

                host:web01:
                  log_level: TRACE
            """;

    /** The command-line example of the same page ({@code data.json}). */
    private static final String CLI_EXAMPLE = """
            {
                "hierarchy": {
                    "order": [
                        "fqdn:${ lookup('facts.fqdn') }"
                    ]
                },
                "data": {
                    "test": "value"
                },
                "overrides": {
                    "fqdn:my.fqdn.com": {
                        "test": "override"
                    }
                }
            }
            """;

    /** The library example of the README, in the {@code {{ }}} syntax. */
    private static final String LIBRARY_EXAMPLE = """
             hierarchy:
               order:
                 - env:{{ lookup('facts.env') }}
                 - role:{{ lookup('facts.role') }}
                 - host:{{ lookup('facts.hostname') }}
               merge: deep

             data:
               log_level: INFO
               packages:
                 - ca-certificates
               web:
                 listen_port: 80
                 tls: false

             overrides:
                 env:prod:
                   log_level: WARN

                 role:web:
                   packages:
                     - nginx
                   web:
                     tls: true

                 host:web01:
                   log_level: TRACE
            """;

    static Map<String, Object> yaml(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    static Map<String, Object> json(String text) {
        try {
            return JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> resolve(Map<String, Object> document, Map<String, Object> facts)
            throws HieraException {
        return HIERA.resolve(document, facts);
    }

    @Test
    void theAnnotatedExampleMergesEveryMatchingOverrideDeeply() throws HieraException {
        assertThat(resolve(yaml(ANNOTATED), Map.of("env", "prod", "role", "web", "hostname", "web01")))
                .isEqualTo(Map.of("log_level", "TRACE", "packages", List.of("ca-certificates", "nginx"),
                        "web", Map.of("listen_port", 443L, "tls", true)));
    }

    @Test
    void overridesWhoseFactsAreMissingOrDifferentAreSkipped() throws HieraException {
        Map<String, Object> base = Map.of("log_level", "INFO", "packages", List.of("ca-certificates"),
                "web", Map.of("listen_port", 80L, "tls", false));
        assertThat(resolve(yaml(ANNOTATED), Map.of())).isEqualTo(base);
        assertThat(resolve(yaml(ANNOTATED), Map.of("env", "dev", "hostname", "db01"))).isEqualTo(base);
        assertThat(resolve(yaml(ANNOTATED), Map.of("env", "prod"))).isEqualTo(Map.of("log_level", "WARN",
                "packages", List.of("ca-certificates"), "web", Map.of("listen_port", 80L, "tls", false)));
    }

    @Test
    void theExampleOfDocsWatchersMd() throws HieraException {
        Map<String, Object> document = json("""
                {
                  "hierarchy": {
                    "order": ["env:{{ lookup('facts.env') }}", "role:{{ lookup('facts.role') }}", "global"],
                    "merge": "deep"
                  },
                  "data": {"log_level": "INFO", "packages": ["ca-certificates"], "web": {"listen_port": 80, "tls": false}},
                  "overrides": {
                    "env:prod": {"log_level": "WARN"},
                    "role:web": {"packages": ["nginx"], "web": {"listen_port": 443, "tls": true}}
                  }
                }
                """);
        assertThat(resolve(document, Map.of("env", "prod", "role", "web"))).isEqualTo(Map.of("log_level", "WARN",
                "packages", List.of("ca-certificates", "nginx"), "web", Map.of("listen_port", 443L, "tls", true)));
        assertThat(resolve(document, Map.of())).isEqualTo(Map.of("log_level", "INFO",
                "packages", List.of("ca-certificates"), "web", Map.of("listen_port", 80L, "tls", false)));
    }

    /** The library README's manifest: its hierarchy lowercases the fact with a pipe; other sections are ignored. */
    private static final String README_MANIFEST = """
            {
              "hierarchy": {
                "order": [ "fqdn:{{ lookup('facts.networking.fqdn') | lower() }}" ]
              },
              "data": {
                "package": "zsh",
                "version": "present"
              },
              "resources": [
                {"package": {"name": "{{ lookup('data.package') }}", "version": "{{ lookup('data.version') }}"}}
              ],
              "overrides": {
                "fqdn:my.example.net": {
                    "version": "1.2.3",
                    "package": "zsh-shell"
                }
              }
            }
            """;

    @Test
    void theReadmesManifestPipesTheFactIntoLower() throws HieraException {
        assertThat(resolve(json(README_MANIFEST), Map.of("networking", Map.of("fqdn", "My.Example.NET"))))
                .isEqualTo(Map.of("package", "zsh-shell", "version", "1.2.3"));
        assertThat(resolve(json(README_MANIFEST), Map.of("networking", Map.of("fqdn", "other.example.net"))))
                .isEqualTo(Map.of("package", "zsh", "version", "present"));
        assertThat(resolve(json(README_MANIFEST), Map.of())).as("lower() of the empty string of a missing fact")
                .isEqualTo(Map.of("package", "zsh", "version", "present"));
    }

    /** The reference resolver's own examples with pipes: {@code | lower()} in the order, {@code | int()} in values. */
    @Test
    void pipedPlaceholdersInTheOrderAndInOverrideValues() throws HieraException {
        Map<String, Object> document = Map.of(
                "hierarchy", Map.of("order", List.of("data", "role:{{ lookup('facts.role') | lower() }}"),
                        "merge", "first"),
                "data", Map.of("value", 1, "list", List.of(1), "other", "{{ lookup('facts.other') }}"),
                "overrides", Map.of("role:web", Map.of(
                        "list", "{{ lookup('facts.list') }}",
                        "value", "{{ lookup('facts.value') | int() }}")));
        Map<String, Object> facts = Map.of("role", "WEB", "value", 1, "list", List.of(1),
                "other", Map.of("key", "other"));
        assertThat(resolve(document, facts)).isEqualTo(Map.of("value", 1L, "list", List.of(1L),
                "other", Map.of("key", "other")));
    }

    @Test
    void aPipedOrderEntryMergesDeeplyWithoutChangingTheDocument() throws HieraException {
        Map<String, Object> document = Map.of(
                "hierarchy", Map.of("order", List.of("data", "role:{{ lookup('facts.role') | lower() }}"),
                        "merge", "deep"),
                "data", Map.of("value", 1),
                "overrides", Map.of("role:web", Map.of("list", List.of(2.0), "value", 2)));
        String before = document.toString();
        assertThat(resolve(document, Map.of("role", "WEB"))).isEqualTo(Map.of("value", 2L, "list", List.of(2L)));
        assertThat(document.toString()).isEqualTo(before);
    }

    @Test
    void thePipedDefaultOverride() throws HieraException {
        Map<String, Object> document = Map.of(
                "data", Map.of("value", 1),
                "overrides", Map.of("default", Map.of("value", "{{ lookup('facts.value') | int() }}")));
        assertThat(resolve(document, Map.of("role", "WEB", "value", 1))).isEqualTo(Map.of("value", 1L));
        assertThat(resolve(document, Map.of("value", "8080"))).as("int() parses a string fact")
                .isEqualTo(Map.of("value", 8080L));
        assertThat(resolve(document, Map.of("value", 2.75))).as("int() truncates a float")
                .isEqualTo(Map.of("value", 2L));
    }

    /** A lookup without the facts. prefix finds nothing: its piped empty string leaves the entry unmatched. */
    @Test
    void aPipedLookupThatFindsNothingMatchesNothing() throws HieraException {
        Map<String, Object> document = Map.of(
                "hierarchy", Map.of("order", List.of("data", "role:{{ lookup('role') | lower() }}"), "merge", "first"),
                "data", Map.of("value", 1),
                "overrides", Map.of("role:web", Map.of("value", "{{ lookup('value') | int() }}")));
        assertThat(resolve(document, Map.of("role", "WEB", "value", 1))).isEqualTo(Map.of("value", 1L));
    }

    @Test
    void otherHelpersTakePipedValues() throws HieraException {
        Map<String, Object> document = yaml("""
                data:
                  name: "{{ lookup('facts.name') | trim() | upper() }}"
                  port: "{{ lookup('facts.port') | string() }}"
                  ratio: "{{ lookup('facts.ratio', '0.5') | float() }}"
                  domain: "{{ lookup('facts.fqdn') | split('.') | last() }}"
                  host: "{{ lookup('facts.fqdn') | trimSuffix('.example.net') | replace('-', '_') }}"
                  url: "https://{{ lookup('facts.fqdn') | lower() }}:{{ lookup('facts.port') + 1 | string() }}/"
                  size: "{{ lookup('facts.disks') | len() }}"
                """);
        Map<String, Object> facts = Map.of("name", " web ", "port", 80, "fqdn", "web-01.example.net",
                "disks", List.of("sda", "sdb"));
        assertThat(resolve(document, facts)).isEqualTo(Map.of("name", "WEB", "port", "80", "ratio", 0.5,
                "domain", "net", "host", "web_01", "url", "https://web-01.example.net:81/", "size", 2L));
    }

    @Test
    void aBadPipeIsAOneLineErrorNamingTheEntry() {
        assertThatThrownBy(() -> resolve(yaml("hierarchy: {order: [\"role:{{ lookup('facts.role') | lower }}\"]}"),
                Map.of("role", "WEB")))
                .isInstanceOf(HieraException.class)
                .hasMessage("hierarchy.order[0] \"role:{{ lookup('facts.role') | lower }}\": the pipe | passes its "
                        + "value to a function call, as in x | lower(): found lower without \"(\" (column 24)");
        assertThatThrownBy(() -> resolve(yaml("data: {v: \"{{ lookup('facts.v') | int() }}\"}"), Map.of("v", "x")))
                .isInstanceOf(HieraException.class)
                .hasMessage("data.v \"{{ lookup('facts.v') | int() }}\": int: invalid syntax: x");
    }

    @Test
    void theCommandLineExample() throws HieraException {
        assertThat(resolve(json(CLI_EXAMPLE), Map.of("fqdn", "my.fqdn.com"))).isEqualTo(Map.of("test", "override"));
        assertThat(resolve(json(CLI_EXAMPLE), Map.of("fqdn", "other.fqdn.com"))).isEqualTo(Map.of("test", "value"));
    }

    @Test
    void theLibraryExample() throws HieraException {
        assertThat(resolve(yaml(LIBRARY_EXAMPLE), Map.of("env", "prod", "role", "web", "hostname", "web01")))
                .isEqualTo(Map.of("log_level", "TRACE", "packages", List.of("ca-certificates", "nginx"),
                        "web", Map.of("listen_port", 80L, "tls", true)));
    }

    /**
     * The first release looked facts up at the top level ({@code lookup('role')}); the reference's kv watcher now
     * resolves lookups in {@code {"facts": ...}}, so such entries find nothing and the data section is the result.
     */
    @Test
    void entriesThatLookUpFactsWithoutTheFactsPrefixMatchNothing() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy:
                    merge: deep # or first
                    order:
                        - env:{{ lookup('env') }}
                        - role:{{ lookup('role') }}
                data:
                    log_level: INFO
                overrides:
                    role:web:
                        log_level: WARN
                """);
        assertThat(resolve(document, Map.of("role", "web"))).isEqualTo(Map.of("log_level", "INFO"));
    }

    @Test
    void theParsedInputExample() throws HieraException {
        Map<String, Object> document = Map.of(
                "hierarchy", Map.of("order", List.of("role:{{ lookup('facts.role') }}"), "merge", "deep"),
                "data", Map.of("value", 1),
                "overrides", Map.of("role:web", Map.of("value", 2)));
        assertThat(resolve(document, Map.of("role", "web"))).isEqualTo(Map.of("value", 2L));
        assertThat(resolve(document, Map.of("role", "db"))).isEqualTo(Map.of("value", 1L));
    }

    @Test
    void firstAppliesOnlyTheFirstMatchingOverrideAndReplacesTopLevelKeysWhole() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy:
                  order:
                    - env:{{ lookup('facts.env') }}
                    - role:{ lookup('facts.role') }}
                    - role:{{ lookup('facts.role') }}
                  merge: First
                data:
                  log_level: INFO
                  web: {listen_port: 80, tls: false}
                overrides:
                  env:stage:
                    web: {tls: true}
                  role:web:
                    log_level: WARN
                """);
        assertThat(resolve(document, Map.of("env", "stage", "role", "web")))
                .isEqualTo(Map.of("log_level", "INFO", "web", Map.of("tls", true)));
        assertThat(resolve(document, Map.of("role", "web")))
                .isEqualTo(Map.of("log_level", "WARN", "web", Map.of("listen_port", 80L, "tls", false)));
    }

    @Test
    void withoutAMergeStrategyTheFirstOverrideWins() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy:
                  order: ["a:{{ lookup('facts.a') }}", "b:{{ lookup('facts.b') }}"]
                data: {x: 0}
                overrides:
                  a:1: {x: 1}
                  b:2: {x: 2, y: 2}
                """);
        assertThat(resolve(document, Map.of("a", 1, "b", 2))).isEqualTo(Map.of("x", 1L));
        assertThat(resolve(document, Map.of("b", 2))).isEqualTo(Map.of("x", 2L, "y", 2L));
    }

    @Test
    void withoutAHierarchyTheDefaultOverrideApplies() throws HieraException {
        Map<String, Object> document = yaml("""
                data: {value: 1, other: x}
                overrides:
                  default: {value: "{{ lookup('facts.value') }}"}
                """);
        assertThat(resolve(document, Map.of("value", 5))).isEqualTo(Map.of("value", 5L, "other", "x"));
        assertThat(resolve(yaml("data: {value: 1}"), Map.of())).isEqualTo(Map.of("value", 1L));
        assertThat(resolve(Map.of(), Map.of())).isEmpty();
    }

    @Test
    void literalEntriesMatchAndTheDataEntryIsSkipped() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy:
                  order: [data, global, "other:{{ lookup('facts.other', 'fallback') }}"]
                  merge: deep
                data: {list: [1], name: base}
                overrides:
                  data: {name: never}
                  global: {list: [2]}
                  other:fallback: {name: fallback}
                """);
        assertThat(resolve(document, Map.of())).isEqualTo(Map.of("list", List.of(1L, 2L), "name", "fallback"));
    }

    @Test
    void deepMergesNestedMapsConcatenatesListsAndReplacesMismatchedTypes() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy: {order: [one, two], merge: deep}
                data:
                  a: {b: {c: 1, d: [x]}, e: scalar}
                  f: [1, 2]
                overrides:
                  one: {a: {b: {d: [y], g: true}, e: {now: map}}, f: 3}
                  two: {a: {b: {c: 2}}, f: [4]}
                """);
        assertThat(resolve(document, Map.of())).isEqualTo(Map.of(
                "a", Map.of("b", Map.of("c", 2L, "d", List.of("x", "y"), "g", true), "e", Map.of("now", "map")),
                "f", List.of(4L)));
    }

    @Test
    void placeholdersInValuesAreExpandedKeepingTheTypeOfALonePlaceholder() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy: {order: ["role:{{ lookup('facts.role') }}"]}
                data:
                  port: "{{ lookup('facts.port') }}"
                  ratio: " ${ lookup('facts.ratio') } "
                  url: "http://{{ lookup('facts.host') }}:{{ lookup('facts.port') }}/"
                  nested: "{{ lookup('facts.nested') }}"
                  missing: "{{ lookup('facts.nope') }}"
                  fallback: "{{ lookup('facts.nope', 8080) }}"
                  sum: "{{ lookup('facts.port') + 1 }}"
                  upper: "{{ upper(lookup('facts.role')) }}"
                  items: ["{{ lookup('facts.role') }}", plain]
                overrides:
                  role:web: {role: "{{ lookup('facts.role') }}"}
                """);
        Map<String, Object> facts = Map.of("role", "web", "port", 80, "ratio", 1.5, "host", "h1",
                "nested", Map.of("k", List.of(1, 2.0)));
        assertThat(resolve(document, facts)).isEqualTo(Map.ofEntries(
                Map.entry("port", 80L), Map.entry("ratio", 1.5), Map.entry("url", "http://h1:80/"),
                Map.entry("nested", Map.of("k", List.of(1L, 2L))), Map.entry("missing", ""),
                Map.entry("fallback", 8080L), Map.entry("sum", 81L), Map.entry("upper", "WEB"),
                Map.entry("items", List.of("web", "plain")), Map.entry("role", "web")));
    }

    @Test
    void nestedFactsAndTwoPlaceholdersInOneEntry() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy:
                  order: ["{{ lookup('facts.os.family') }}-{{ lookup('facts.os.release') }}"]
                data: {v: base}
                overrides:
                  debian-12: {v: bookworm}
                  -12: {v: only the release}
                """);
        assertThat(resolve(document, Map.of("os", Map.of("family", "debian", "release", 12))))
                .isEqualTo(Map.of("v", "bookworm"));
        assertThat(resolve(document, Map.of("os", Map.of("release", 12)))).as("one placeholder gave a value")
                .isEqualTo(Map.of("v", "only the release"));
    }

    @Test
    void wholeFloatsBecomeIntegersAsInTheReference() throws HieraException {
        assertThat(resolve(json("{\"data\": {\"a\": 80.0, \"b\": 1.25, \"c\": [2.0]}}"), Map.of()))
                .isEqualTo(Map.of("a", 80L, "b", 1.25, "c", List.of(2L)));
    }

    @Test
    void theDocumentIsNotChanged() throws HieraException {
        Map<String, Object> document = yaml(LIBRARY_EXAMPLE);
        String before = document.toString();
        Map<String, Object> result = resolve(document, Map.of("role", "web"));
        result.put("added", true);
        assertThat(document.toString()).isEqualTo(before);
        assertThat(resolve(document, Map.of("role", "web"))).doesNotContainKey("added");
    }

    @Test
    void badDocumentsAreOneLineErrors() {
        assertThatThrownBy(() -> resolve(yaml("hierarchy: [a]"), Map.of()))
                .isInstanceOf(HieraException.class)
                .hasMessage("hierarchy must be a map with an order list, not array");
        assertThatThrownBy(() -> resolve(yaml("hierarchy: ~"), Map.of()))
                .hasMessage("hierarchy must be a map with an order list, not nil");
        assertThatThrownBy(() -> resolve(yaml("hierarchy: {merge: deep}"), Map.of()))
                .hasMessage("hierarchy.order must be a list");
        assertThatThrownBy(() -> resolve(yaml("hierarchy: {order: [a, 1]}"), Map.of()))
                .hasMessage("hierarchy.order must contain only strings, not int");
        assertThatThrownBy(() -> resolve(yaml("overrides: [a]"), Map.of()))
                .hasMessage("overrides must be a map of override name to data, not array");
        assertThatThrownBy(() -> resolve(yaml("hierarchy: {order: [\"{{ lookup('facts.a' }}\"]}"), Map.of()))
                .isInstanceOf(HieraException.class)
                .hasMessageStartingWith("hierarchy.order[0] \"{{ lookup('facts.a' }}\": ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> resolve(yaml("data: {a: {b: [x, \"{{ nope() }}\"]}}"), Map.of()))
                .hasMessageStartingWith("data.a.b[1] \"{{ nope() }}\": ");
        assertThatThrownBy(() -> resolve(yaml("data: {a: \"{{ lookup('facts.x') + 1 }}\"}"), Map.of()))
                .as("a missing fact is an empty string")
                .hasMessageStartingWith("data.a \"{{ lookup('facts.x') + 1 }}\": ");
        assertThatThrownBy(() -> resolve(yaml("data: {a: \"{{ lookup(1) }}\"}"), Map.of()))
                .hasMessageContaining("lookup requires a string argument, not int");
        assertThatThrownBy(() -> resolve(yaml("data: {a: \"{{ lookup('facts.#(x)') }}\"}"), Map.of()))
                .hasMessageStartingWith("data.a \"{{ lookup('facts.#(x)') }}\": lookup: ");
    }

    @Test
    void anUnknownMergeStrategyIsRefusedWhenAnOverrideMatches() throws HieraException {
        Map<String, Object> document = yaml("""
                hierarchy: {order: ["env:{{ lookup('facts.env') }}"], merge: Widest}
                data: {a: 1}
                overrides: {env:prod: {a: 2}}
                """);
        assertThat(resolve(document, Map.of("env", "dev"))).isEqualTo(Map.of("a", 1L));
        assertThatThrownBy(() -> resolve(document, Map.of("env", "prod")))
                .hasMessage("hierarchy.merge \"widest\" is not a merge strategy: use first or deep");
    }
}
