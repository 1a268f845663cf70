package dev.tend.watchers.kv;

import ch.qos.logback.classic.Level;
import dev.tend.kv.Bucket;
import dev.tend.machine.Machine;
import dev.tend.machine.hiera.HieraResolver;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hiera_config: true} in both modes, on a real machine and a real embedded store. */
@ResourceLock(value = "dev.tend.machine.m.w", mode = ResourceAccessMode.READ_WRITE)
class KvHieraTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    /** The reference's kv watcher example: an override per fqdn. */
    private static final String BY_FQDN = """
            {
                "hierarchy": {
                    "order": [
                        "fqdn:{{ lookup('facts.fqdn') }}"
                    ]
                },
                "data": {
                    "test": "value"
                },
                "overrides": {
                    "fqdn:ginkgo.example.net": {
                        "test": "override"
                    }
                }
            }
            """;

    private static final String BY_ROLE = """
            {"hierarchy": {"order": ["env:{{ lookup('facts.env') }}", "role:{{ lookup('facts.role') }}"],
                           "merge": "deep"},
             "data": {"log_level": "INFO", "packages": ["ca-certificates"], "web": {"listen_port": 80, "tls": false}},
             "overrides": {"env:prod": {"log_level": "WARN"},
                           "role:web": {"packages": ["nginx"], "web": {"tls": true}}}}
            """;

    private static final String NOT_HIERA = "{\"hierarchy\": {\"order\": \"fqdn\"}, \"data\": {\"test\": \"x\"}}";

    @TempDir
    Path dir;

    private KvBed bed;

    @BeforeEach
    void open() {
        bed = new KvBed(dir);
    }

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void aPollStoresTheDataTheDocumentResolvesTo() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", BY_FQDN);
        bed.facts = Map.of("fqdn", "ginkgo.example.net");
        bed.start("10s", "{bucket: CFG, key: config, hiera_config: true}");
        assertThat(bed.transitions()).containsExactly("changed:b");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "override")));

        cfg.put("config", BY_ROLE);
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("log_level", "INFO",
                "packages", List.of("ca-certificates"), "web", Map.of("listen_port", 80, "tls", false))));
    }

    /** The watcher of the reference's announcement of Tiny Hiera, in a machine of its states. */
    @Test
    void theAnnouncementsWatcherLoadsAndStoresTheResolvedData() {
        bed.bucket("NATS").put("config", """
                {"data": {"log_level": "INFO", "packages": ["httpd"], "web": {"listen_port": 80, "tls": false}},
                 "hierarchy": {"merge": "deep", "order": ["env:{{ lookup('facts.env') }}",
                               "role:{{ lookup('facts.role') }}", "host:{{ lookup('facts.hostname') }}"]},
                 "overrides": {"env:prod": {"log_level": "WARN"},
                               "role:web": {"packages": ["nginx"], "web": {"listen_port": 443, "tls": true}},
                               "host:web01": {"log_level": "TRACE", "web": {"listen_port": 8080}}}}
                """);
        bed.facts = Map.of("role", "web", "hostname", "web01");
        bed.startYaml("""
                name: m
                version: 1.0.0
                initial_state: RUN
                transitions:
                  - {name: regional_update, from: [RUN, RESTART], destination: RESTART}
                watchers:
                  - name: watch_tag
                    type: kv
                    interval: 10s
                    success_transition: regional_update
                    state_match: [RUN, RESTART]
                    properties:
                      bucket: NATS
                      key: config
                      hiera_config: true
                """);
        assertThat(bed.transitions()).containsExactly("regional_update:RESTART");
        assertThat(bed.data()).isEqualTo(Map.of("NATS_config", Map.of("log_level", "TRACE",
                "packages", List.of("httpd", "nginx"), "web", Map.of("listen_port", 8080, "tls", true))));
    }

    @Test
    void withoutAMatchingOverrideTheDataSectionIsStored() {
        bed.bucket("CFG").put("config", BY_FQDN);
        bed.facts = Map.of("fqdn", "other.example.net");
        bed.start("10s", "{bucket: CFG, key: config, hiera_config: true}");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "value")));
    }

    @Test
    void eachPollResolvesWithTheFactsOfTheMomentSoChangedFactsAreAChangeAtTheNextPoll() {
        bed.bucket("CFG").put("config", BY_ROLE);
        bed.facts = Map.of("role", "web");
        Machine m = bed.start("10s", "{bucket: CFG, key: config, hiera_config: true, store_key: settings,"
                + " bucket_prefix: false}");
        assertThat(bed.data()).isEqualTo(Map.of("settings", Map.of("log_level", "INFO",
                "packages", List.of("ca-certificates", "nginx"), "web", Map.of("listen_port", 80, "tls", true))));
        bed.advance(TEN_SECONDS);
        assertThat(bed.watcherState(m)).containsEntry("state", "unchanged");

        bed.facts = Map.of("role", "web", "env", "prod");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a");
        assertThat(bed.data()).isEqualTo(Map.of("settings", Map.of("log_level", "WARN",
                "packages", List.of("ca-certificates", "nginx"), "web", Map.of("listen_port", 80, "tls", true))));
    }

    @Test
    void aRestartWithTheSameValueAndFactsIsNoChange() {
        bed.bucket("CFG").put("config", BY_FQDN);
        bed.facts = Map.of("fqdn", "ginkgo.example.net");
        bed.writeData("{\"CFG_config\": {\"test\": \"override\"}}");
        Machine m = bed.start("10s", "{bucket: CFG, key: config, hiera_config: true}");
        assertThat(bed.transitions()).isEmpty();
        assertThat(bed.watcherState(m)).containsEntry("state", "unchanged");
    }

    @Test
    void theQueryAppliesToTheResolvedData() {
        bed.bucket("CFG").put("config", BY_ROLE);
        bed.facts = Map.of("role", "web");
        bed.start("10s", "{bucket: CFG, key: config, hiera_config: true, query: web.tls}");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", true));
    }

    @Test
    void valuesThatAreNotJsonObjectsAreStoredAsWithoutIt() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", "plain text");
        cfg.put("list", "[1, 2]");
        bed.start("10s", "{bucket: CFG, key: config, hiera_config: true}");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", "plain text"));
    }

    @Test
    void aDocumentThatDoesNotResolveFiresFailAndKeepsTheData() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", BY_FQDN);
        bed.facts = Map.of("fqdn", "ginkgo.example.net");
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            Machine m = bed.start("10s", "{bucket: CFG, key: config, hiera_config: true}");
            cfg.put("config", NOT_HIERA);
            bed.advance(TEN_SECONDS.multipliedBy(2));
            assertThat(bed.transitions()).containsExactly("changed:b", "failed:broken", "failed:broken2");
            assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "override")));
            assertThat(bed.watcherState(m)).containsEntry("state", "error");
            assertThat(log.lines(Level.WARN)).containsExactly("CFG > config: hiera_config: the value does not resolve"
                    + " as Tiny Hiera: hierarchy.order must be a list (retrying; logged once until it works or fails"
                    + " differently)");

            cfg.put("config", BY_FQDN);
            bed.advance(TEN_SECONDS);
            assertThat(bed.transitions()).as("the same value as before the bad one").hasSize(3);
            bed.facts = Map.of();
            bed.advance(TEN_SECONDS);
            assertThat(bed.transitions()).endsWith("changed:a");
            assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "value")));
            assertThat(log.lines(Level.INFO)).containsExactly("reading CFG > config works again");
        }
    }

    @Test
    void aJsonObjectThatDoesNotParseResolvesAsAnEmptyDocument() {
        bed.bucket("CFG").put("config", "{\"data\": }");
        bed.start("10s", "{bucket: CFG, key: config, hiera_config: true}");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of()));
    }

    @Test
    void watchModeResolvesEachWriteAndABadDocumentFiresFail() {
        Bucket cfg = bed.bucket("CFG");
        bed.facts = Map.of("fqdn", "ginkgo.example.net");
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            Machine m = bed.start("", "{bucket: CFG, key: config, mode: watch, hiera_config: true}");
            bed.awaitState(m, "unchanged");
            cfg.put("config", BY_FQDN);
            bed.await("the document resolved", () -> bed.count("changed") == 1);
            assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "override")));

            cfg.put("config", NOT_HIERA);
            bed.await("the bad document", () -> bed.count("failed") == 1);
            assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "override")));
            assertThat(bed.watcherState(m)).containsEntry("state", "error");
            assertThat(log.lines(Level.WARN)).containsExactly("CFG > config: hiera_config: the value does not resolve"
                    + " as Tiny Hiera: hierarchy.order must be a list");

            bed.facts = Map.of();
            cfg.put("config", BY_FQDN);
            bed.await("the good document again", () -> bed.count("changed") == 2);
            assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "value")));
        }
    }

    @Test
    void watchModeResolvesAgainWithNewFactsAtTheNextResync() {
        bed.bucket("CFG").put("config", BY_FQDN);
        bed.facts = Map.of("fqdn", "ginkgo.example.net");
        bed.start("1m", "{bucket: CFG, key: config, mode: watch, hiera_config: true}");
        bed.await("the first resolution", () -> bed.count("changed") == 1);
        bed.facts = Map.of("fqdn", "other.example.net");
        bed.advance(Duration.ofMinutes(1));
        bed.await("the resync's resolution", () -> bed.count("changed") == 2);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "value")));
    }

    @Test
    void watchModeFiresBothTransitionsForABatchOfAGoodAndABadDocumentInTheirOrder() {
        // As polls of a and then b: a changed, b does not resolve.
        Machine m = startOnInitialSet(Map.entry("a", BY_FQDN), Map.entry("b", NOT_HIERA));
        assertThat(bed.transitions()).containsExactly("changed:b", "failed:broken");
        assertThat(bed.data()).isEqualTo(Map.of("CFG", Map.of("a", Map.of("test", "override"))));
        assertThat(bed.watcherState(m)).containsEntry("state", "error");
    }

    @Test
    void watchModeFiresTheFailFirstWhenTheBadDocumentCameFirst() {
        Machine m = startOnInitialSet(Map.entry("b", NOT_HIERA), Map.entry("a", BY_FQDN));
        assertThat(bed.transitions()).containsExactly("failed:broken", "changed:a");
        assertThat(bed.data()).isEqualTo(Map.of("CFG", Map.of("a", Map.of("test", "override"))));
        assertThat(bed.watcherState(m)).containsEntry("state", "changed");
    }

    /** Writes the two keys in this order, then watches the whole bucket until its initial set fired twice. */
    private Machine startOnInitialSet(Map.Entry<String, String> first, Map.Entry<String, String> second) {
        Bucket cfg = bed.bucket("CFG");
        cfg.put(first.getKey(), first.getValue());
        cfg.put(second.getKey(), second.getValue());
        bed.facts = Map.of("fqdn", "ginkgo.example.net");
        Machine m = bed.start("", "{bucket: CFG, mode: watch, hiera_config: true}");
        bed.await("the initial set", () -> bed.transitions().size() == 2);
        return m;
    }

    @Test
    void watchModeLogsABadDocumentOncePerRevisionNotAtEveryResync() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", NOT_HIERA);
        String warning = "CFG > config: hiera_config: the value does not resolve as Tiny Hiera: hierarchy.order must"
                + " be a list";
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            bed.start("1m", "{bucket: CFG, key: config, mode: watch, hiera_config: true}");
            bed.await("the bad document", () -> bed.count("failed") == 1);
            for (int resync = 2; resync <= 3; resync++) {
                bed.advance(Duration.ofMinutes(1));
                long fails = resync;
                bed.await("resync " + resync, () -> bed.count("failed") == fails);
            }
            assertThat(log.lines(Level.WARN)).containsExactly(warning);

            cfg.put("config", NOT_HIERA); // the same document, a new revision
            bed.await("the new revision", () -> bed.count("failed") == 4);
            assertThat(log.lines(Level.WARN)).containsExactly(warning, warning);
        }
    }

    @Test
    void watchModeLogsAValueThatIsNotJsonOncePerRevision() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", "{\"data\": }");
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            bed.start("1m", "{bucket: CFG, key: config, mode: watch}");
            bed.await("the first read", () -> bed.count("changed") == 1);
            bed.advance(Duration.ofMinutes(1));
            bed.advance(Duration.ofMinutes(1));
            bed.await("the resyncs", () -> bed.watcherState(bed.lastMachine()).get("state").equals("unchanged"));
            assertThat(log.lines(Level.WARN)).hasSize(1).allMatch(l -> l.startsWith("CFG > config: the value looks"
                    + " like JSON but does not parse, storing it empty"));
        }
    }

    @Test
    void theWatchersOfTheTypeLookTheExpressionCompilerUpOnce() {
        AtomicInteger lookups = new AtomicInteger();
        bed.close();
        bed = new KvBed(dir, new KvWatcherFactory(() -> {
            lookups.incrementAndGet();
            return HieraResolver.standard();
        }));
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", BY_FQDN);
        bed.facts = Map.of("fqdn", "ginkgo.example.net");
        String yaml = KvBed.yaml("10s", "{bucket: CFG, key: config, hiera_config: true}");
        String second = yaml.substring(yaml.indexOf("  - name: w\n")).replace("name: w\n", "name: w2\n")
                .replace("bucket: CFG, key: config", "bucket: CFG, key: config, store_key: other");
        bed.startYaml(yaml + second);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("test", "override"),
                "CFG_other", Map.of("test", "override")));
        assertThat(lookups).hasValue(1);
    }
}
