package dev.tend.watchers.plugins;

import ch.qos.logback.classic.Level;
import dev.tend.fleet.spec.ItemNames;
import dev.tend.fleet.spec.MachinesSpec;
import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SigningKey;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.testing.LogCapture;
import dev.tend.machine.spi.WatcherDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugins and machines watchers on a real machine, with time driven by hand. */
class PluginsWatcherTest {

    private static final SigningKey KEY = SigningKey.generate();
    private static final PluginItem WEB = PluginItem.of("web", "kv://FLEET/web-1.0.0.tgz", "aa11", "bb22")
            .withMatch("identity('^web') && get_fact('os.family') == 'Debian'");
    private static final PluginItem DB = PluginItem.of("db", "https://example.com/db.tgz", "cc33", "dd44")
            .withMatch("identity('^db')");

    @TempDir
    Path root;
    private ManagerBed bed;

    @BeforeEach
    void bed() throws Exception {
        bed = new ManagerBed(root);
    }

    @AfterEach
    void close() {
        bed.close();
    }

    private static Map<String, Object> signed(PluginItem... items) {
        PluginSpec spec = PluginSpec.of(List.of(items)).signedWith(KEY);
        return Map.of("spec", Map.of("plugins", spec.plugins(), "signature", spec.signature()));
    }

    private static String props(String... more) {
        StringBuilder out = new StringBuilder("data_item: spec\n      public_key: " + KEY.publicKey().hex());
        for (String p : more) {
            out.append("\n      ").append(p);
        }
        return out.toString();
    }

    /** What Choria's template gives for {@link #WEB}, by hand. */
    private String choriaWeb(String prefix, String interval) {
        return """
                name: "%s_web"
                version: 1.0.0
                initial_state: MANAGE

                transitions:
                  - name: enter_maintenance
                    from: [ MANAGE ]
                    destination: MAINTENANCE

                  - name: resume
                    from: [ MAINTENANCE ]
                    destination: MANAGE

                watchers:
                  - name: download
                    type: archive
                    interval: "%s"
                    state_match:
                      - MANAGE
                    properties:
                      checksum: "aa11"
                      creates: "web"
                      governor: ""
                      password: ""
                      source: "kv://FLEET/web-1.0.0.tgz"
                      target: "%s"
                      username: ""
                      verify: "SHA256SUMS"
                      verify_checksum: "bb22"
                """.formatted(prefix, interval, bed.machines);
    }

    @Test
    void writesTheManagerMachineOfEachMatchingItemAsChoriaDoes() throws Exception {
        Machine machine = bed.start("plugins", "interval: 10s", props(), signed(WEB, DB));
        Path file = bed.machines.resolve("mm_web/machine.yaml");
        assertThat(Files.readString(file)).isEqualTo(choriaWeb("mm", "2m0s"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(bed.machines.resolve("mm_db")).doesNotExist();
        assertThat(bed.outcomes()).containsExactly("updated");
        assertThat(bed.events.watcherStates().get(0).fields()).containsEntry("plugins", List.of("web", "db"))
                .containsKey("previous_run_time");
        assertThat(bed.events.watcherStates().get(0).watcherType()).isEqualTo("plugins");
        assertThat(machine.state()).isEqualTo("managed");

        // the same file is left alone: unchanged publishes nothing (the transition's poke ran once more already)
        bed.events.clear();
        bed.advance(Duration.ofSeconds(10));
        assertThat(bed.outcomes()).isEmpty();
        assertThat(machine.status().watchers().get(0).state()).containsEntry("previous_outcome", "unchanged");

        // a file that differs is replaced
        Files.writeString(file, "edited");
        bed.advance(Duration.ofSeconds(10));
        assertThat(Files.readString(file)).isEqualTo(choriaWeb("mm", "2m0s"));
        assertThat(bed.outcomes()).containsExactly("updated");
    }

    @Test
    void inNoopModeNothingIsWrittenOrRemovedEachIsLoggedAndTheOutcomeIsUpdated() throws Exception {
        Files.createDirectories(bed.machines.resolve("mm_old"));
        Files.writeString(bed.machines.resolve("mm_old/machine.yaml"), "x");
        Files.createDirectories(bed.machines.resolve("old"));
        bed.noop = true;
        try (LogCapture log = LogCapture.of("dev.tend.machine.manager.manage")) {
            Machine machine = bed.start("plugins", "", props("purge_unknown: true"), signed(WEB));
            assertThat(bed.machines.resolve("mm_web")).doesNotExist();
            assertThat(bed.machines.resolve("mm_old/machine.yaml")).hasContent("x");
            assertThat(bed.machines.resolve("old")).exists();
            assertThat(bed.outcomes()).containsExactly("updated");
            assertThat(machine.state()).isEqualTo("managed");
            assertThat(log.lines(Level.INFO)).contains(
                    "noop: would remove manager machine " + bed.machines.resolve("mm_old") + " and "
                            + bed.machines.resolve("old") + " (machine manager watcher manage)",
                    "noop: would write manager machine " + bed.machines.resolve("mm_web/machine.yaml")
                            + " to deploy kv://FLEET/web-1.0.0.tgz into " + bed.machines
                            + " (machine manager watcher manage)");
            assertThat(log.lines(Level.WARN)).as("nothing was deployed or removed").isEmpty();

            // as after real changes, the next runs find nothing new to do: no more success, no loop
            bed.events.clear();
            bed.advance(Duration.ofSeconds(30));
            assertThat(bed.outcomes()).isEmpty();
            assertThat(machine.status().watchers().get(0).state()).containsEntry("previous_outcome", "unchanged");
            assertThat(log.lines(Level.INFO)).filteredOn(l -> l.startsWith("noop: would write")).hasSize(1);
        }
    }

    @Test
    void theManagerMachineLoadsInTend() throws Exception {
        bed.start("plugins", "", props("manager_machine_prefix: fleet", "plugin_manage_interval: 30s"),
                signed(WEB));
        Path dir = bed.machines.resolve("fleet_web");
        assertThat(Files.readString(dir.resolve("machine.yaml"))).isEqualTo(choriaWeb("fleet", "30s"));
        MachineDefinition manager = new MachineLoader(bed.registry).load(dir);
        assertThat(manager.name()).isEqualTo("fleet_web");
        assertThat(manager.initialState()).isEqualTo("MANAGE");
        WatcherDefinition download = manager.watchers().get(0);
        assertThat(download.type()).isEqualTo("archive");
        assertThat(download.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(download.stateMatch()).containsExactly("MANAGE");
        assertThat(download.properties().asMap()).containsEntry("source", "kv://FLEET/web-1.0.0.tgz")
                .containsEntry("creates", "web").containsEntry("target", bed.machines.toString())
                .containsEntry("verify", "SHA256SUMS").containsEntry("verify_checksum", "bb22")
                .containsEntry("checksum", "aa11");
        assertThat(manager.warnings()).isEmpty();
    }

    @Test
    void purgeRemovesUnknownManagersThenWhatTheyManagedAfterAPause() throws Exception {
        for (String name : List.of("old", "db")) {
            Files.createDirectories(bed.machines.resolve("mm_" + name));
            Files.writeString(bed.machines.resolve("mm_" + name + "/machine.yaml"), "x");
            Files.createDirectories(bed.machines.resolve(name));
        }
        Files.createDirectories(bed.machines.resolve("other_keep"));
        bed.start("plugins", "", props("purge_unknown: true"), signed(WEB, DB));
        assertThat(bed.machines.resolve("mm_old")).doesNotExist();
        assertThat(bed.machines.resolve("mm_db")).doesNotExist(); // listed, but not for this node
        assertThat(bed.machines.resolve("old")).exists();
        assertThat(bed.outcomes()).isEmpty();

        bed.advance(ManagingWatcher.PURGE_PAUSE);
        assertThat(bed.machines.resolve("old")).doesNotExist();
        assertThat(bed.machines.resolve("db")).doesNotExist();
        assertThat(bed.machines.resolve("mm_web/machine.yaml")).exists();
        assertThat(bed.machines.resolve("other_keep")).exists();
        assertThat(bed.machines.resolve("manager")).exists();
        assertThat(bed.outcomes()).containsExactly("updated");
    }

    @Test
    void aSpecificationThatDoesNotVerifyIsDeletedFromTheData() throws Exception {
        PluginSpec spec = PluginSpec.of(List.of(WEB)).signedWith(SigningKey.generate());
        Machine machine = bed.start("plugins", "", props(),
                Map.of("spec", Map.of("plugins", spec.plugins(), "signature", spec.signature()), "other", 1));
        assertThat(bed.data()).doesNotContainKey("spec").containsKey("other");
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
        assertThat(bed.transitions()).containsExactly("broken");
        assertThat(machine.state()).isEqualTo("failed");
        assertThat(bed.machines.resolve("mm_web")).doesNotExist();
    }

    @Test
    void anUnsignedSpecificationIsDeletedWhenAKeyIsSet() throws Exception {
        bed.start("plugins", "", props(), Map.of("spec", Map.of("plugins", PluginSpec.of(List.of(WEB)).plugins())));
        assertThat(bed.data()).doesNotContainKey("spec");
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
    }

    @Test
    void withoutAKeyAnySpecificationIsTaken() throws Exception {
        bed.start("plugins", "", "data_item: spec",
                Map.of("spec", "{\"plugins\":\"" + PluginSpec.of(List.of(WEB)).plugins() + "\"}"));
        assertThat(bed.machines.resolve("mm_web/machine.yaml")).exists();
        assertThat(bed.outcomes()).containsExactly("updated");
    }

    @Test
    void aChangeOfTheDataItemRunsItAfterTheDebounceNotAtTheInterval() throws Exception {
        bed.extraWatchers = "  - name: writer\n    type: data_writer\n";
        Machine machine = bed.start("plugins", "interval: 10m", props(), Map.of());
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // no data item yet
        bed.events.clear();

        // a burst of changes within the debounce gives one run, at the end of the debounce after the first
        bed.writer.put("other", "not the item"); // another key: nothing
        bed.writer.put("spec", signed(DB).get("spec"));
        bed.advance(Duration.ofMillis(100));
        bed.writer.put("spec", signed(WEB).get("spec"));
        bed.advance(ManagingWatcher.DATA_DEBOUNCE.minusMillis(101));
        assertThat(bed.machines.resolve("mm_web")).doesNotExist();
        bed.advance(Duration.ofMillis(1));
        assertThat(bed.machines.resolve("mm_web/machine.yaml")).exists();
        assertThat(bed.outcomes()).containsExactly("updated");
        assertThat(machine.state()).isEqualTo("managed");

        // the same value again runs nothing (a run would replace the edited file); a new one runs again, long before
        // the interval
        bed.events.clear();
        Files.writeString(bed.machines.resolve("mm_web/machine.yaml"), "edited");
        bed.writer.put("spec", signed(WEB).get("spec"));
        bed.advance(ManagingWatcher.DATA_DEBOUNCE.multipliedBy(2));
        assertThat(bed.machines.resolve("mm_web/machine.yaml")).hasContent("edited");
        bed.writer.put("spec", signed(WEB, PluginItem.of("api", "kv://FLEET/api.tgz", "ee", "ff")).get("spec"));
        bed.advance(ManagingWatcher.DATA_DEBOUNCE);
        assertThat(bed.machines.resolve("mm_api/machine.yaml")).exists();
        assertThat(bed.machines.resolve("mm_web/machine.yaml")).content().isNotEqualTo("edited");
        assertThat(bed.outcomes()).containsExactly("updated");
    }

    @Test
    void startedWithoutASpecificationItWarmsUpWritingAndPublishingNothingOfIt() throws Exception {
        bed.identity = "warm1.example.net"; // would match the made-up item's identity('^warm')
        bed.start("plugins", "", props("purge_unknown: true"), Map.of());
        try (var written = Files.list(bed.machines)) {
            assertThat(written.map(p -> p.getFileName().toString())).containsExactly("manager");
        }
        assertThat(bed.data()).isEmpty();
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // the data item is missing
        assertThat(bed.events.watcherStates()).allSatisfy(e -> assertThat(e.fields()).containsEntry("plugins",
                List.of()));
    }

    @Test
    void badBase64IsAnErrorAndKeepsThePluginsData() throws Exception {
        bed.start("plugins", "", "data_item: spec", Map.of("spec", Map.of("plugins", "@@@@")));
        assertThat(bed.data()).containsKey("spec");
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
    }

    @Test
    void aMissingDataItemOrFieldIsAnError() throws Exception {
        bed.start("plugins", "", props(), Map.of());
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
        bed.close();
        bed = new ManagerBed(root.resolve("b"));
        PluginSpec spec = PluginSpec.of(List.of(PluginItem.of("web", "", "a", "b"))).signedWith(KEY);
        bed.start("plugins", "", props(), Map.of("spec", Map.of("plugins", spec.plugins(), "signature",
                spec.signature())));
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
        assertThat(bed.data()).containsKey("spec"); // a complete signature over an incomplete list: kept
    }

    @Test
    void theAgentsSigningKeyWinsOverThePropertys() throws Exception {
        bed.signingKey = KEY.publicKey().hex();
        bed.start("plugins", "", "data_item: spec\n      public_key: " + SigningKey.generate().publicKey().hex(),
                signed(WEB));
        assertThat(bed.outcomes()).containsExactly("updated");
        bed.close();

        bed = new ManagerBed(root.resolve("b"));
        bed.signingKey = SigningKey.generate().publicKey().hex();
        bed.start("plugins", "", props(), signed(WEB));
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
        assertThat(bed.data()).doesNotContainKey("spec");
    }

    @Test
    void matchersSeeIdentityFactsAndTheFileSystem() throws Exception {
        Path marker = Files.createFile(root.resolve("marker"));
        bed.start("plugins", "", props(), signed(
                PluginItem.of("a", "s", "c", "v").withMatch("has_file('" + marker + "') && has_directory('" + root
                        + "')"),
                PluginItem.of("b", "s", "c", "v").withMatch("has_command('sh') && get_fact('role') == 'web'"),
                PluginItem.of("c", "s", "c", "v").withMatch("has_command('no-such-command-here')"),
                PluginItem.of("d", "s", "c", "v").withMatch("get_fact('role') +"),
                PluginItem.of("e", "s", "c", "v").withMatch("1"),
                PluginItem.of("f", "s", "c", "v")));
        assertThat(bed.machines.resolve("mm_a")).exists();
        assertThat(bed.machines.resolve("mm_b")).exists();
        assertThat(bed.machines.resolve("mm_c")).doesNotExist();
        assertThat(bed.machines.resolve("mm_d")).doesNotExist(); // does not compile: not matched, no error
        assertThat(bed.machines.resolve("mm_e")).doesNotExist(); // not a boolean
        assertThat(bed.machines.resolve("mm_f")).exists();
        assertThat(bed.outcomes()).containsExactly("updated");
    }

    @Test
    void itemsTendCouldNotWriteAreRefused() throws Exception {
        PluginSpec spec = PluginSpec.of(List.of(PluginItem.of("../x", "s", "c", "v"))).signedWith(KEY);
        bed.start("plugins", "", props(), Map.of("spec", Map.of("plugins", spec.plugins(), "signature",
                spec.signature())));
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
        assertThat(root.resolve("x")).doesNotExist();
    }

    @Test
    void anEntryNamedTmpOrNotASafeDirectoryNameIsAnErrorAndWritesNothing() throws Exception {
        for (String bad : List.of("tmp", ".hidden", "a.b", "-x")) {
            bed.close();
            bed = new ManagerBed(root.resolve("bed-" + bad));
            try (LogCapture log = LogCapture.of("dev.tend.machine.manager.manage")) {
                bed.start("plugins", "", props(), signed(WEB, PluginItem.of(bad, "kv://FLEET/x.tgz", "c", "v")));
                assertThat(bed.outcomes()).as(bad).isNotEmpty().containsOnly("error");
                assertThat(log.lines(Level.ERROR)).as(bad).first().asString().startsWith("managing plugins failed: name"
                        + " \"" + bad + "\" ");
            }
            try (var written = Files.list(bed.machines)) {
                assertThat(written.map(p -> p.getFileName().toString())).as(bad).containsExactly("manager");
            }
        }
        assertThat(ItemNames.problem("tmp")).contains("is reserved: the archive watchers download and unpack in the"
                + " machines directory's tmp/");
    }

    @Test
    void theMachinesFormSignsTheDecodedListAndWritesMm() throws Exception {
        MachinesSpec spec = MachinesSpec.of(List.of(PluginItem.of("web", "kv://FLEET/web.tgz", "aa", "bb")))
                .signedWith(KEY);
        bed.start("machines", "", props("machine_manage_interval: 1h"),
                Map.of("spec", Map.of("machines", spec.machines(), "signature", spec.signature())));
        assertThat(Files.readString(bed.machines.resolve("mm_web/machine.yaml"))).isEqualTo("""
                name: "mm_web"
                version: 1.0.0
                initial_state: MANAGE

                transitions:
                  - name: enter_maintenance
                    from: [ MANAGE ]
                    destination: MAINTENANCE

                  - name: resume
                    from: [ MAINTENANCE ]
                    destination: MANAGE

                watchers:
                  - name: download
                    type: archive
                    interval: "1h0m0s"
                    state_match:
                      - MANAGE
                    properties:
                      source: "kv://FLEET/web.tgz"
                      checksum: "aa"
                      verify: "SHA256SUMS"
                      verify_checksum: "bb"
                      creates: "web"
                      target: "%s"
                      username: ""
                      password: ""
                      governor: ""
                """.formatted(bed.machines));
        assertThat(bed.events.watcherStates().get(0).fields()).containsEntry("machines", List.of("web"));
        assertThat(new MachineLoader(bed.registry).load(bed.machines.resolve("mm_web")).name()).isEqualTo("mm_web");
    }

    @Test
    void theMachinesFormDeletesBadBase64() throws Exception {
        bed.start("machines", "", "data_item: spec", Map.of("spec", Map.of("machines", "@@@@")));
        assertThat(bed.data()).doesNotContainKey("spec");
        assertThat(bed.outcomes()).isNotEmpty().containsOnly("error"); // again on the fail transition's poke
    }

    @Test
    void inactiveItSkips() throws Exception {
        Machine machine = bed.start("plugins", "state_match: [managed]", props(), signed(WEB));
        assertThat(bed.outcomes()).isEmpty();
        assertThat(bed.machines.resolve("mm_web")).doesNotExist();
        assertThat(machine.status().watchers().get(0).state()).containsEntry("previous_outcome", "skipped")
                .containsEntry("plugins", List.of());
    }

    @Test
    void badPropertiesAreLoadErrors() {
        assertThatThrownBy(() -> bed.load("plugins", "interval: 1s", props("manager_machine_prefix: a_b",
                "plugins_directory: relative/dir")))
                .isInstanceOf(MachineLoadException.class)
                .hasMessageContaining("interval 1s is too small: at least 2s")
                .hasMessageContaining("manager_machine_prefix may not contain underscore")
                .hasMessageContaining("plugins_directory must be an absolute path, not \"relative/dir\"");
        assertThatThrownBy(() -> bed.load("plugins", "", "data_item: spec\n      public_key: abc"))
                .hasMessageContaining("the public key is not hex: odd length 3");
        assertThatThrownBy(() -> bed.load("machines", "", "public_key: " + KEY.publicKey().hex()))
                .hasMessageContaining("data_item");
        assertThatThrownBy(() -> bed.load("plugins", "", props("manager_machine_prefix: 9x")))
                .hasMessageContaining("manager_machine_prefix \"9x\" cannot start a machine name");
    }

    @org.junit.jupiter.api.Test
    void aSourceIsLoggedWithoutItsCredentialsOrQuery() {
        assertThat(ManagingWatcher.shown("kv://FLEET/web-1.0.0.tgz")).isEqualTo("kv://FLEET/web-1.0.0.tgz");
        assertThat(ManagingWatcher.shown("https://deploy:s3cret@files.example.net:8443/web.tgz?X-Token=abc"))
                .isEqualTo("https://files.example.net:8443/web.tgz");
        assertThat(ManagingWatcher.shown("https://files example")).isEqualTo("(a source that is not a URI)");
    }

    @org.junit.jupiter.api.Test
    void onlyTextAYamlStringHoldsAsItIsGoesIntoTheManagerMachine() {
        assertThat(SpecReader.quotable("https://files.example.net/ünïcode-\uD83D\uDE00.tgz")).isTrue();
        for (String bad : List.of("a\"b", "a\\b", "a\tb", "a\u007fb", "a\u0085b", "a\u009fb", "a\u2028b", "a\u2029b",
                "a\uD83Db", "a\uDE00b", "a\uD83D", "a\ufffeb", "a\uffffb")) {
            assertThat(SpecReader.quotable(bad)).as("%s", bad.codePoints().mapToObj(Integer::toHexString).toList())
                    .isFalse();
        }
    }
}
