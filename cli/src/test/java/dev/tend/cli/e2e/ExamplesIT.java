package dev.tend.cli.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example machines of {@code examples/machines} under a real {@code tend agent} with the built-in watchers, driven
 * as their comments say: {@code tend kv put|del} and {@code tend machine transition} from other processes. Each test
 * copies its example into a temporary machines directory (with a temporary store, state directory and socket) and
 * checks the transitions (from the events file) and the work the example's scripts did.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory, store and agent each
@Order(1) // long: started first
class ExamplesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the examples write into their directories when run from the checkout: never copied. */
    private static final Set<String> OUTPUTS = Set.of("deployment.txt", "status.txt", "runs.log", "motd.txt",
            "inventory.txt", "mode.txt", "remediation.log");

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    private static final List<String> EXAMPLES = List.of("backup", "deployer", "disk", "fleet", "maintenance",
            "motd", "nightly", "nodestats", "throttle");

    @TempDir
    Path tmp;

    private Tend tend;
    private Path examples;
    private Path machines;
    private Path state;
    private Path socket;
    private Path plugins;
    private Tend.Background agent;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        examples = Path.of(System.getProperty("tend.examples", "../examples/machines")).toAbsolutePath().normalize();
        assertThat(examples).as("the examples directory").isDirectory();
        machines = Files.createDirectories(tmp.resolve("machines"));
        Files.setPosixFilePermissions(machines, DIRECTORY); // whatever the umask: an agent running as root checks it
        state = tmp.resolve("state");
        socket = tmp.resolve("run/agent.sock");
        plugins = Files.createDirectories(tmp.resolve("plugins")); // none: the built-in watchers only
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    // ---- the examples

    /**
     * The seed's example, with its kv watcher in either mode (poll as the reference, every second here), on either
     * store: the agent and the commands share the embedded store or a NATS server.
     */
    @ParameterizedTest(name = "{0}, mode {1}")
    @CsvSource({"EMBEDDED, watch", "EMBEDDED, poll", "NATS, watch", "NATS, poll"})
    void deployerDeploysTheUsernameItReadsFromWatcherData(Tend.Backend backend, String mode) throws Exception {
        tend.close();
        tend = Tend.on(backend, tmp);
        Path dir = install("deployer", mode.equals("watch") ? UnaryOperator.identity()
                : yaml -> replace(replace(yaml, "mode: watch ", "mode: poll  "), "    type: kv\n",
                        "    type: kv\n    interval: 1s\n"));
        Tend.Background agent = agent();
        awaitState("deployer", "WAIT");
        Path deployment = dir.resolve("deployment.txt");

        // As the README does it: the bucket is created after the agent started.
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "username", "bob"));
        await("bob deployed", () -> read(deployment).startsWith("deployed for bob at "));
        await("deployer back in WAIT", () -> transitions("deployer").contains("deployed UPDATE>WAIT"));
        assertThat(transitions("deployer")).containsExactly("update_deployment WAIT>UPDATE", "deployed UPDATE>WAIT");
        assertThat(machine("deployer").get("state").asText()).isEqualTo("WAIT");
        assertThat(JSON.readTree(read(state.resolve("machines/deployer/machine_data.json"))).get("CFG_username")
                .asText()).isEqualTo("bob");

        // A username deploy.sh refuses: FAILED, the deployment as it was.
        assertOk(tend.run("kv", "put", "CFG", "username", "bad user"));
        await("the refused username", () -> lastTransition("deployer").equals("deploy_failed UPDATE>FAILED"));
        assertThat(read(deployment)).startsWith("deployed for bob at ");

        // Two values in quick succession (the second may arrive while the first deploys): the last one is deployed.
        assertOk(tend.run("kv", "put", "CFG", "username", "alice"));
        assertOk(tend.run("kv", "put", "CFG", "username", "carol"));
        await("carol deployed and the machine waiting", () -> read(deployment).startsWith("deployed for carol at ")
                && lastTransition("deployer").equals("deployed UPDATE>WAIT"));

        // The key deleted: the deployment removed, then the machine waits again.
        int before = transitions("deployer").size();
        assertOk(tend.run("kv", "del", "CFG", "username", "-f"));
        await("the deployment removed", () -> !Files.exists(deployment)
                && transitions("deployer").size() >= before + 2
                && lastTransition("deployer").equals("deployed UPDATE>WAIT"));
        assertThat(machine("deployer").get("state").asText()).isEqualTo("WAIT");
        stop(agent);
    }

    @Test
    void maintenanceIsEnteredByHandAndEndsByHandOrWithItsTimer() throws Exception {
        Path dir = install("maintenance", UnaryOperator.identity());
        Path status = dir.resolve("status.txt");
        Tend.Background agent = agent();
        awaitState("maintenance", "RUNNING");

        Tend.Result enter = tend.run("machine", "transition", "maintenance", "maintenance", "--socket", sock());
        assertOk(enter);
        assertThat(enter.out()).isEqualTo("maintenance: RUNNING -> MAINTENANCE via maintenance\n");
        await("status.txt in maintenance", () -> read(status).startsWith("maintenance since "));
        JsonNode timer = watcher(machine("maintenance"), "maintenance_timer");
        assertThat(timer.get("active").asBoolean()).isTrue();
        assertThat(timer.at("/state/state").asText()).isEqualTo("running");
        assertThat(timer.at("/state/timer").asLong()).isEqualTo(600_000_000_000L); // 10m in nanoseconds

        // Resumed by hand, long before the timer.
        assertOk(tend.run("machine", "transition", "maintenance", "resume", "--socket", sock()));
        await("status.txt running", () -> read(status).startsWith("running since "));
        Tend.Result again = tend.run("machine", "transition", "maintenance", "resume", "--socket", sock());
        assertOneLineError(again, 1);
        assertThat(again.err()).contains("\"resume\" is not valid in state \"RUNNING\"", "(valid: maintenance)");

        // With the timer shortened (the agent reloads the changed file as a new instance), the timer resumes it.
        String instance = machine("maintenance").get("instance_id").asText();
        rewrite(dir, yaml -> replace(yaml, "timer: 10m", "timer: 2s"));
        await("the reloaded machine", () -> reloaded("maintenance") && !instanceId("maintenance").equals(instance));
        assertOk(tend.run("machine", "transition", "maintenance", "maintenance", "--socket", sock()));
        await("the timer's resume", () -> transitions("maintenance").size() >= 4
                && lastTransition("maintenance").equals("resume MAINTENANCE>RUNNING"));
        assertThat(transitions("maintenance")).containsExactly("maintenance RUNNING>MAINTENANCE",
                "resume MAINTENANCE>RUNNING", "maintenance RUNNING>MAINTENANCE", "resume MAINTENANCE>RUNNING");
        await("status.txt running again", () -> read(status).startsWith("running since "));
        assertThat(watcher(machine("maintenance"), "maintenance_timer").at("/state/state").asText())
                .isEqualTo("stopped");
        stop(agent);
    }

    @Test
    void nightlyRunsItsJobInEachScheduleWindow() throws Exception {
        // The test copy opens a 3-second window every 5 seconds instead of an hour at 02:00.
        Path dir = install("nightly", yaml -> replace(replace(yaml, "schedules: [\"0 2 * * *\"]",
                "schedules: [\"@every 5s\"]"), "duration: 1h", "duration: 3s"));
        Path runs = dir.resolve("runs.log");
        Tend.Background agent = agent();
        awaitState("nightly", "IDLE");

        await("two windows with a job run each", () -> count(transitions("nightly"), "window_open IDLE>WINDOW") >= 2
                && transitions("nightly").contains("job_done WINDOW>DONE")
                && transitions("nightly").stream().anyMatch(t -> t.startsWith("window_closed ") && t.endsWith(">IDLE"))
                && read(runs).lines().count() >= 2);
        assertThat(read(runs).lines())
                .allMatch(l -> l.matches("nightly job ran at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        // Windows alternate with closings; the job only ever moves the machine from WINDOW to DONE.
        List<String> seen = transitions("nightly");
        assertThat(seen.get(0)).isEqualTo("window_open IDLE>WINDOW");
        assertThat(seen).allMatch(t -> t.equals("window_open IDLE>WINDOW") || t.equals("job_done WINDOW>DONE")
                || t.equals("window_closed WINDOW>IDLE") || t.equals("window_closed DONE>IDLE"), "known transitions");
        stop(agent);
    }

    @Test
    void motdRendersTheManagedFileFromKvData() throws Exception {
        Path dir = install("motd", UnaryOperator.identity());
        Path motd = dir.resolve("motd.txt");
        Tend.Background agent = agent();

        // No bucket yet: the defaults.
        await("the default motd", () -> read(motd).startsWith("Welcome.\n\nQuestions: root\n"));
        await("motd managed", () -> transitions("motd").contains("rendered unknown>managed"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(motd))).isEqualTo("rw-r--r--");

        assertOk(tend.run("kv", "add", "MOTD"));
        assertOk(tend.run("kv", "put", "MOTD", "banner",
                "{\"message\":\"Maintenance tonight at 22:00 UTC\",\"contact\":\"Ops@Example.com\"}"));
        await("the new motd", () -> read(motd).equals("""
                Maintenance tonight at 22:00 UTC

                Questions: ops@example.com
                (managed by tend, machine motd: change it with tend kv put MOTD banner \
                '{"message":"...","contact":"..."}')
                """));

        // Edited by hand: rewritten.
        Files.writeString(motd, "defaced\n");
        await("the motd restored", () -> read(motd).startsWith("Maintenance tonight at 22:00 UTC\n"));

        assertOk(tend.run("kv", "del", "MOTD", "banner", "-f"));
        await("the defaults again", () -> read(motd).startsWith("Welcome.\n\nQuestions: root\n"));
        assertThat(transitions("motd")).containsExactly("rendered unknown>managed"); // the rest were self transitions
        assertThat(machine("motd").get("state").asText()).isEqualTo("managed");
        stop(agent);
    }

    @Test
    void fleetReactsToEveryKeyUnderItsPrefix() throws Exception {
        Path dir = install("fleet", UnaryOperator.identity());
        Path inventory = dir.resolve("inventory.txt");
        Tend.Background agent = agent();
        awaitState("fleet", "WATCHING");

        assertOk(tend.run("kv", "add", "FLEET"));
        assertOk(tend.run("kv", "put", "FLEET", "nodes.web1", "web"));
        assertOk(tend.run("kv", "put", "FLEET", "nodes.db1", "database"));
        assertOk(tend.run("kv", "put", "FLEET", "other.key", "ignored"));
        await("both nodes in the inventory", () -> read(inventory).equals("""
                # fleet inventory from the KV bucket FLEET, keys nodes.>: 2 values
                db1 database
                web1 web
                """) && lastTransition("fleet").equals("reconciled RECONCILING>WATCHING"));
        assertThat(transitions("fleet")).startsWith("nodes_changed WATCHING>RECONCILING",
                "reconciled RECONCILING>WATCHING");

        // A JSON value's fields, and a delete.
        assertOk(tend.run("kv", "put", "FLEET", "nodes.cache1", "{\"role\": \"cache\", \"size\": 3}"));
        assertOk(tend.run("kv", "del", "FLEET", "nodes.web1", "-f"));
        await("the inventory without web1", () -> read(inventory).equals("""
                # fleet inventory from the KV bucket FLEET, keys nodes.>: 3 values
                cache1/role cache
                cache1/size 3
                db1 database
                """) && lastTransition("fleet").equals("reconciled RECONCILING>WATCHING"));
        assertThat(transitions("fleet")).doesNotContain("reconcile_failed RECONCILING>FAILED");
        stop(agent);
    }

    @Test
    void throttleFollowsTheLoadThroughItsExpressionWatchers() throws Exception {
        Path dir = install("throttle", UnaryOperator.identity());
        Path mode = dir.resolve("mode.txt");
        Tend.Background agent = agent();
        awaitState("throttle", "NORMAL");

        assertOk(tend.run("kv", "add", "LOAD"));
        assertOk(tend.run("kv", "put", "LOAD", "web", "{\"load\": 0.95, \"limit\": 0.9}"));
        await("throttled", () -> read(mode).startsWith("throttled since ")
                && lastTransition("throttle").equals("throttle NORMAL>THROTTLED"));
        await("recovered evaluated in THROTTLED", () -> watcher(machine("throttle"), "recovered")
                .at("/state/previous_outcome").asText().equals("no_match"));
        assertThat(watcher(machine("throttle"), "overloaded").at("/state/previous_outcome").asText())
                .as("inactive in THROTTLED").isIn("success_when", "skipped");

        // Under the limit but not under 80% of it: still throttled; well under it: normal again.
        assertOk(tend.run("kv", "put", "LOAD", "web", "{\"load\": 0.8, \"limit\": 0.9}"));
        assertOk(tend.run("kv", "put", "LOAD", "web", "{\"load\": 0.5, \"limit\": 0.9}"));
        await("normal again", () -> read(mode).startsWith("normal since ")
                && lastTransition("throttle").equals("relax THROTTLED>NORMAL"));
        assertThat(transitions("throttle")).containsExactly("throttle NORMAL>THROTTLED", "relax THROTTLED>NORMAL");
        assertThat(expressionStates("throttle")).contains("overloaded success_when", "recovered success_when");
        stop(agent);
    }

    @Test
    void aBadExpressionIsRefusedWithItsFileAndLine() throws Exception {
        Path dir = install("throttle", yaml -> replace(yaml, "data.LOAD_web.load > data.LOAD_web.limit",
                "data.LOAD_web.load > data.LOAD_web.limit and"));
        Tend.Result r = tend.run("machine", "validate", dir.toString());
        assertThat(r.code()).as(r.describe()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.err()).as(r.describe()).isEqualTo(dir.resolve("machine.yaml") + ":44: watcher \"overloaded\" "
                + "property \"success_when\": success_when: syntax error near \"and\" (column 67)\n");
    }

    // ---- disk (a Scout check)

    @Test
    void diskIsCheckedOnDemandRemediatedAndPutInMaintenance() throws Exception {
        // Thresholds no disk meets: the check is CRITICAL, so the remediation runs. No interval: the checks are the
        // test's own (the first interval check would come at a random time within 5 minutes).
        Path disk = install("disk", yaml -> replace(replace(yaml, "check_disk -w 10% -c 5% -p /",
                "check_disk -w 100% -c 100% -p /"), "    interval: 5m\n", ""));
        Path textfiles = Files.createDirectories(tmp.resolve("textfiles"));
        Path prom = textfiles.resolve("choria_machine_nagios_watcher_status.prom");
        Tend.Background agent = agent("--textfile-dir", textfiles.toString());
        awaitState("disk", "UNKNOWN");

        Tend.Result check = tend.run("machine", "check", "disk", "--socket", sock());
        assertOk(check);
        assertThat(check.out()).isEqualTo("disk: UNKNOWN -> FORCE_CHECK via FORCE_CHECK\n");
        await("the remediation", () -> read(disk.resolve("remediation.log")).lines().count() == 1);
        awaitState("disk", "UNKNOWN"); // the remediation fired UNKNOWN
        assertThat(transitions("disk")).containsSubsequence("FORCE_CHECK UNKNOWN>FORCE_CHECK",
                "CRITICAL FORCE_CHECK>CRITICAL", "UNKNOWN CRITICAL>UNKNOWN");
        JsonNode watcher = watcher(machine("disk"), "check");
        // The status follows the machine's state (UNKNOWN after the remediation); the output is the last check's.
        assertThat(watcher.at("/state/status").asText()).isEqualTo("UNKNOWN");
        assertThat(watcher.at("/state/history/0/status").asInt()).isEqualTo(2);
        assertThat(watcher.at("/state/output").asText()).startsWith("DISK CRITICAL - free space: /");
        assertThat(watcher.at("/state/perfdata/0/label").asText()).isEqualTo("/");
        assertThat(watcher.at("/state/history").size()).isEqualTo(1);
        assertThat(watcher.at("/state/annotations/runbook").asText()).startsWith("free space on /");
        await("the textfile", () -> read(prom).contains("choria_machine_nagios_watcher_status{name=\"disk\""));
        assertThat(read(prom)).startsWith("# HELP choria_machine_nagios_start_time ");

        Tend.Result maintenance = tend.run("machine", "maintenance", "d*", "--socket", sock());
        assertOk(maintenance);
        assertThat(maintenance.out()).isEqualTo("disk: UNKNOWN -> MAINTENANCE via MAINTENANCE\n");
        Tend.Result skipped = tend.run("machine", "check", "--socket", sock()); // every check
        assertOk(skipped);
        assertThat(skipped.out()).isEqualTo("disk: skipped, FORCE_CHECK is not valid in state MAINTENANCE\n");
        Tend.Result unknown = tend.run("machine", "check", "nosuch", "--socket", sock());
        assertThat(unknown.code()).as(unknown.describe()).isEqualTo(1);
        assertThat(unknown.out()).isEqualTo("nosuch: failed, no Scout check matches\n");

        Tend.Result resume = tend.run("machine", "resume", "disk", "--json", "--socket", sock());
        assertOk(resume);
        assertThat(JSON.readTree(resume.out())).isEqualTo(JSON.readTree(
                "{\"transitioned\": [\"disk\"], \"failed\": [], \"skipped\": []}"));
        await("the second remediation", () -> read(disk.resolve("remediation.log")).lines().count() == 2);
        awaitState("disk", "UNKNOWN");

        stop(agent);
        assertThat(prom).as("the textfile goes with the agent").doesNotExist();
    }

    // ---- nodestats (metrics)

    @Test
    void nodestatsGathersTheNodesMetricsIntoItsDataTheTextfileAndItsEvents() throws Exception {
        Path dir = install("nodestats", yaml -> replace(yaml, "interval: 30s", "interval: 1s"));
        Path textfiles = Files.createDirectories(tmp.resolve("textfiles"));
        Path prom = textfiles.resolve("choria_machine_metrics_watcher_status.prom");
        Path data = state.resolve("machines/nodestats/machine_data.json");
        Tend.Background agent = agent("--textfile-dir", textfiles.toString());
        awaitState("nodestats", "GATHERING");

        await("the textfile", () -> read(prom).contains("choria_machine_metric_watcher_node_load1{format=\"choria\","
                + "kernel=\""));
        assertThat(read(prom)).contains("# HELP choria_machine_metric_watcher_node_uptime_seconds Choria Metric\n",
                "# TYPE choria_machine_metric_watcher_node_memory_total_kb gauge\n", ",role=\"example\"} ");
        await("the machine data", () -> read(data).contains("\"metric\""));
        JsonNode node = JSON.readTree(read(data)).at("/metric/node");
        assertThat(node.at("/labels/format").asText()).isEqualTo("choria");
        assertThat(node.at("/labels/role").asText()).isEqualTo("example");
        assertThat(node.at("/metrics/memory_total_kb").asDouble()).isPositive();
        assertThat(node.at("/time").asLong()).isPositive();
        JsonNode metrics = watcher(machine("nodestats"), "node").at("/state/metrics");
        assertThat(metrics.at("/metrics/uptime_seconds").asDouble()).isPositive();
        assertThat(metrics.at("/metrics/choria_runtime_seconds").isNumber()).isTrue();
        assertThat(events("dev.tend.machine.watcher.metric.v1.state")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.at("/data/metrics/metrics/load1").isNumber()).isTrue());

        // Output the watcher cannot read: BROKEN. The script is replaced as an editor would, by a new file.
        Path next = dir.resolve(".stats.sh.new");
        Files.writeString(next, "#!/bin/sh\necho '{\"metrics\": {\"load1\": \"high\"}}'\n");
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(next, dir.resolve("stats.sh"), StandardCopyOption.ATOMIC_MOVE);
        await("broken", () -> lastTransition("nodestats").equals("broken GATHERING>BROKEN"));
        assertThat(machine("nodestats").get("state").asText()).isEqualTo("BROKEN");

        stop(agent);
        assertThat(prom).as("the textfile goes with the agent").doesNotExist();
    }

    @Test
    void backupRunsOnOneNodeAtATimeThroughItsGovernor() throws Exception {
        // Two copies (two nodes' agents, here machines of one agent) back up every second through one governor slot.
        assertOk(tend.run("governor", "add", "backups", "1", "30m"));
        Path first = install("backup", "backup", yaml -> replace(yaml, "interval: 1h", "interval: 1s"));
        Path second = install("backup", "backup2", yaml -> replace(replace(yaml, "interval: 1h", "interval: 1s"),
                "name: backup\n", "name: backup2\n"));
        Tend.Background agent = agent();

        await("three backups by each", () -> ends(first) >= 3 && ends(second) >= 3);
        stop(agent);

        List<long[]> spans = new ArrayList<>(spans(first));
        spans.addAll(spans(second));
        assertThat(mostAtOnce(spans)).as("backups running at once: %s", spans.size()).isEqualTo(1);
        assertThat(transitions("backup")).contains("backed_up UNKNOWN>OK").doesNotContain("backup_failed UNKNOWN>FAILED");
        assertThat(transitions("backup2")).contains("backed_up UNKNOWN>OK");
        Tend.Result view = tend.run("governor", "view", "backups", "--json");
        assertOk(view);
        assertThat(JSON.readTree(view.out()).get("active").asInt()).as("the slot given back").isZero();
    }

    private static long ends(Path dir) {
        return read(dir.resolve("runs.log")).lines().filter(l -> l.startsWith("end ")).count();
    }

    /** backup.sh's start/end pairs in runs.log, nanoseconds since the epoch. */
    private static List<long[]> spans(Path dir) {
        List<long[]> spans = new ArrayList<>();
        long start = -1;
        for (String line : read(dir.resolve("runs.log")).lines().toList()) {
            long at = Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            if (line.startsWith("start ")) {
                start = at;
            } else if (start >= 0) {
                spans.add(new long[] {start, at});
                start = -1;
            }
        }
        return spans;
    }

    /** The most spans open at one instant (an end before a start at the same time). */
    private static int mostAtOnce(List<long[]> spans) {
        List<long[]> events = new ArrayList<>();
        for (long[] s : spans) {
            events.add(new long[] {s[0], 1});
            events.add(new long[] {s[1], -1});
        }
        events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int open = 0;
        int most = 0;
        for (long[] e : events) {
            open += (int) e[1];
            most = Math.max(most, open);
        }
        return most;
    }

    // ---- all of them

    @Test
    void everyExampleIsValidAndTheyAllRunSideBySide() throws Exception {
        try (Stream<Path> list = Files.list(examples)) {
            assertThat(list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList())
                    .as("the examples this test knows").isEqualTo(EXAMPLES);
        }
        for (String name : EXAMPLES) {
            Tend.Result valid = tend.run("machine", "validate", examples.resolve(name).toString());
            assertOk(valid); // no warnings either
            assertThat(valid.out()).isEqualTo(examples.resolve(name) + ": valid machine " + name + " 1.0.0\n");
        }

        for (String name : EXAMPLES) {
            install(name, UnaryOperator.identity());
        }
        Tend.Background agent = agent();
        await("all the machines", () -> started() && machinesOrEmpty().size() == EXAMPLES.size());
        await("motd's first rendering", () -> transitions("motd").contains("rendered unknown>managed"));
        Map<String, String> states = new TreeMap<>();
        machinesOrEmpty().forEach(m -> states.put(m.get("name").asText(), m.get("state").asText()));
        assertThat(states).containsOnlyKeys(EXAMPLES).containsEntry("deployer", "WAIT")
                .containsEntry("fleet", "WATCHING").containsEntry("maintenance", "RUNNING")
                .containsEntry("motd", "managed").containsEntry("throttle", "NORMAL")
                .containsEntry("nodestats", "GATHERING");
        // A nightly window opens at 02:00 only (TZ=UTC): a run across that minute sees it open.
        assertThat(states.get("nightly")).isIn("IDLE", "WINDOW", "DONE");
        // The disk check's first run comes within its 5-minute interval: not checked yet, or checked.
        assertThat(states.get("disk")).isIn("UNKNOWN", "OK", "WARNING", "CRITICAL");
        // The backup's first run comes after its interval of an hour.
        assertThat(states.get("backup")).isEqualTo("UNKNOWN");
        assertThat(agent.err()).contains("agent started: " + EXAMPLES.size() + " machines from " + machines)
                .doesNotContain("cannot load", "Exception");
        stop(agent);
    }

    // ---- helpers

    /**
     * Copies an example into the machines directory (outputs of earlier runs left out), editing its machine.yaml.
     * Writable by the owner only, whatever the umask, as an agent running as root requires; scripts stay executable.
     */
    private Path install(String name, UnaryOperator<String> edit) throws IOException {
        return install(name, name, edit);
    }

    /** {@link #install(String, UnaryOperator)} into the directory {@code as}: a second copy of an example. */
    private Path install(String name, String as, UnaryOperator<String> edit) throws IOException {
        Path from = examples.resolve(name);
        Path to = machines.resolve(as);
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(from)) {
            paths = walk.sorted().toList(); // directories before what they hold
        }
        for (Path p : paths) {
            Path target = to.resolve(from.relativize(p).toString());
            String fileName = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, DIRECTORY);
            } else if (Files.isRegularFile(p) && !OUTPUTS.contains(fileName) && !fileName.contains(".tmp.")) {
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                        Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Path yaml = to.resolve("machine.yaml");
        Files.writeString(yaml, edit.apply(Files.readString(yaml)));
        return to;
    }

    /** Replaces machine.yaml the way an editor or configuration management would: a new file renamed over it. */
    private static void rewrite(Path dir, UnaryOperator<String> edit) throws IOException {
        Path yaml = dir.resolve("machine.yaml");
        Path next = dir.resolve(".machine.yaml.new");
        Files.writeString(next, edit.apply(Files.readString(yaml)));
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(next, yaml, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code text} with {@code from} replaced, failing when it is not there (an example changed under the test). */
    private static String replace(String text, String from, String to) {
        assertThat(text).as("the example's machine.yaml").contains(from);
        return text.replace(from, to);
    }

    private Tend.Background agent(String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("agent", "--machines", machines.toString(), "--state",
                state.toString(), "--plugins", plugins.toString(), "--socket", sock(), "--identity", "it-node"));
        args.addAll(List.of(more));
        agent = tend.start(args.toArray(String[]::new));
        return agent;
    }

    /**
     * Polls until the condition holds, for as long as {@link Tend#eventually} does; fails at once when the agent ended
     * or reported a machine it cannot load (a broken example, a missing watcher type), with the agent's log.
     */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Tend.eventually(what, () -> {
            if (agent != null) {
                String log = errOf(agent);
                if (log.contains("cannot load machine") || !agent.process.isAlive()) {
                    throw new AssertionError("while waiting for " + what + ": the agent "
                            + (agent.process.isAlive() ? "cannot load a machine" : "ended") + "; its log:\n" + log);
                }
            }
            return condition.getAsBoolean();
        });
    }

    private static String errOf(Tend.Background b) {
        try {
            return b.err();
        } catch (IOException e) {
            return "";
        }
    }

    private String sock() {
        return socket.toString();
    }

    private static void stop(Tend.Background agent) throws Exception {
        agent.process.destroy(); // SIGTERM
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err()).as(r.describe()).contains("agent stopped").doesNotContain("Exception", "\tat ");
    }

    /** The agent's machines ({@code tend machine list --json}), or none while it is not answering yet. */
    private List<JsonNode> machinesOrEmpty() {
        try {
            Tend.Result r = tend.run("machine", "list", "--json", "--socket", sock());
            if (r.code() != 0) {
                return List.of();
            }
            List<JsonNode> all = new ArrayList<>();
            JSON.readTree(r.out()).forEach(all::add);
            return all;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode machine(String name) {
        return machinesOrEmpty().stream().filter(m -> m.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no machine " + name + " in tend machine list"));
    }

    private String instanceId(String name) {
        return machinesOrEmpty().stream().filter(m -> m.get("name").asText().equals(name))
                .map(m -> m.get("instance_id").asText()).findFirst().orElse("");
    }

    /**
     * Polls {@code tend machine list} until the machine is in the state; only once the agent has started (its log
     * says so after its first scan, with the socket listening), so that the polling starts no processes before.
     */
    private void awaitState(String name, String expected) throws InterruptedException {
        await(name + " in " + expected, () -> started() && machinesOrEmpty().stream()
                .anyMatch(m -> m.get("name").asText().equals(name) && m.get("state").asText().equals(expected)));
    }

    /** True once the agent's log has its start line. */
    private boolean started() {
        return errOf(agent).contains("agent started: ");
    }

    /** True once the agent's log says it loaded the machine again (a first load is logged at debug only). */
    private boolean reloaded(String name) {
        return errOf(agent).lines().anyMatch(l -> l.contains("machine " + name + " ") && l.contains(" loaded from "));
    }

    private static JsonNode watcher(JsonNode machine, String name) {
        for (JsonNode w : machine.get("watchers")) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no watcher " + name + " in " + machine);
    }

    /** The machine's transitions from the events file, oldest first, as {@code "event FROM>TO"}. */
    private List<String> transitions(String machine) {
        List<String> out = new ArrayList<>();
        for (String line : read(state.resolve("events.jsonl")).lines().toList()) {
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                continue; // the last line, being written
            }
            JsonNode data = event.get("data");
            if ("dev.tend.machine.v1.transition".equals(event.path("type").asText())
                    && machine.equals(data.path("machine").asText())) {
                out.add(data.path("transition").asText() + " " + data.path("from_state").asText() + ">"
                        + data.path("to_state").asText());
            }
        }
        return out;
    }

    /** The events of this type in the events file, oldest first. */
    private List<JsonNode> events(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : read(state.resolve("events.jsonl")).lines().toList()) {
            try {
                JsonNode event = JSON.readTree(line);
                if (type.equals(event.path("type").asText())) {
                    out.add(event);
                }
            } catch (JsonProcessingException e) {
                // the last line, being written
            }
        }
        return out;
    }

    /** The machine's expression watcher state events, oldest first, as {@code "watcher previous_outcome"}. */
    private List<String> expressionStates(String machine) {
        List<String> out = new ArrayList<>();
        for (String line : read(state.resolve("events.jsonl")).lines().toList()) {
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                continue; // the last line, being written
            }
            JsonNode data = event.get("data");
            if ("dev.tend.machine.watcher.expression.v1.state".equals(event.path("type").asText())
                    && machine.equals(data.path("machine").asText())) {
                out.add(data.path("name").asText() + " " + data.path("previous_outcome").asText());
            }
        }
        return out;
    }

    private String lastTransition(String machine) {
        List<String> all = transitions(machine);
        return all.isEmpty() ? "" : all.get(all.size() - 1);
    }

    private static long count(List<String> list, String value) {
        return list.stream().filter(value::equals).count();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
