package dev.tend.cli.settings;

import dev.tend.kv.InvalidInputException;
import dev.tend.machine.NodeIdentity;
import dev.tend.machine.agent.AgentPaths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The order every setting is looked for in (flag, environment, user's file, system's file, default), and its errors. */
class SettingLookupTest {

    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private Path user;
    private Path system;

    @BeforeEach
    void setUp() {
        user = tmp.resolve("user/tend.yaml");
        system = tmp.resolve("etc/tend.yaml");
        env.put("HOME", tmp.resolve("home").toString());
        env.put("XDG_RUNTIME_DIR", "/run/user/1000");
    }

    private AgentLocations locations() {
        return new AgentLocations(new SettingLookup(env, List.of(user, system)), AgentPaths.defaults(false, env));
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void withNothingSetEachIsItsDefault() {
        AgentLocations l = locations();
        AgentPaths defaults = AgentPaths.defaults(false, env);
        assertThat(l.socket(null)).isEqualTo(new Sourced<>(defaults.socket(), Source.defaults()));
        assertThat(l.paths(null, null, null, null)).isEqualTo(defaults);
        assertThat(l.facts(null)).isEqualTo(new Sourced<Path>(null, Source.defaults()));
        assertThat(l.identity(null)).isEqualTo(new Sourced<>(NodeIdentity.hostName(), Source.defaults()));
    }

    @Test
    void theFlagThenTheEnvironmentThenTheUsersFileThenTheSystemsThenTheDefault() throws IOException {
        write(system, "socket: /sys.sock\nstate: /sys-state\n");
        assertThat(locations().socket(null)).isEqualTo(new Sourced<>(Path.of("/sys.sock"), Source.file(system, 1)));
        write(user, "# the user's\nsocket: /user.sock\n");
        assertThat(locations().socket(null)).isEqualTo(new Sourced<>(Path.of("/user.sock"), Source.file(user, 2)));
        assertThat(locations().state(null)).as("a key the user's file lacks comes from the system's")
                .isEqualTo(new Sourced<>(Path.of("/sys-state"), Source.file(system, 2)));
        env.put("TEND_SOCKET", "/env.sock");
        assertThat(locations().socket(null)).isEqualTo(new Sourced<>(Path.of("/env.sock"),
                Source.env("TEND_SOCKET")));
        assertThat(locations().socket(Path.of("/flag.sock"))).isEqualTo(new Sourced<>(Path.of("/flag.sock"),
                Source.flag("--socket")));
        env.put("TEND_SOCKET", " ");
        assertThat(locations().socket(null).source()).as("a blank variable counts as unset")
                .isEqualTo(Source.file(user, 2));
    }

    @Test
    void everyLocationAndTheIdentityHaveTheirKeyAndVariable() throws IOException {
        write(user, "machines: /m\nstate: /s\nsocket: /x.sock\nplugins: /p\nfacts: /f.json\nidentity: web1\n");
        AgentLocations l = locations();
        assertThat(l.paths(null, null, null, null)).isEqualTo(AgentPaths.defaults(false, env)
                .withMachines(Path.of("/m")).withState(Path.of("/s")).withSocket(Path.of("/x.sock"))
                .withPlugins(Path.of("/p")));
        assertThat(l.facts(null).value()).isEqualTo(Path.of("/f.json"));
        assertThat(l.identity(null)).isEqualTo(new Sourced<>("web1", Source.file(user, 6)));
        env.putAll(Map.of("TEND_MACHINES", "/em", "TEND_STATE", "/es", "TEND_PLUGINS", "/ep", "TEND_FACTS", "/ef",
                "TEND_IDENTITY", "db1"));
        l = locations();
        assertThat(l.machines(null).value()).isEqualTo(Path.of("/em"));
        assertThat(l.state(null).value()).isEqualTo(Path.of("/es"));
        assertThat(l.plugins(null).value()).isEqualTo(Path.of("/ep"));
        assertThat(l.facts(null).value()).isEqualTo(Path.of("/ef"));
        assertThat(l.identity(null)).isEqualTo(new Sourced<>("db1", Source.env("TEND_IDENTITY")));
        assertThat(l.identity("app1").source()).isEqualTo(Source.flag("--identity"));
    }

    @Test
    void aRelativePathInAFileIsRelativeToTheFilesDirectory() throws IOException {
        write(user, "socket: run/agent.sock\nstate: ../state\n");
        assertThat(locations().socket(null).value()).isEqualTo(tmp.resolve("user/run/agent.sock"));
        assertThat(locations().state(null).value()).isEqualTo(tmp.resolve("state"));
        env.put("TEND_STATE", "rel");
        assertThat(locations().state(null).value()).as("from the environment: as given").isEqualTo(Path.of("rel"));
    }

    @Test
    void aValueThatIsNotOneValueIsOneLineWithFileAndLine() throws IOException {
        write(user, "store: /kv\nsocket:\n  - /a.sock\n  - /b.sock\n");
        assertThatThrownBy(() -> locations().socket(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage(user + ":3: socket must be a path, not a list");
        write(user, "state: {dir: /s}\n");
        assertThatThrownBy(() -> locations().state(null))
                .hasMessage(user + ":1: state must be a directory, not a mapping");
        write(user, "identity: \"  \"\n");
        assertThatThrownBy(() -> locations().identity(null)).hasMessage(user + ":1: identity must be a name, not blank");
        assertThatThrownBy(() -> locations().identity(" ")).hasMessage("--identity needs a name");
    }

    @Test
    void anEmptyValueCountsAsUnset() throws IOException {
        write(user, "socket:\n");
        write(system, "socket: ~\n");
        assertThat(locations().socket(null).source()).isEqualTo(Source.defaults());
    }

    @Test
    void aFileIsParsedOnlyWhenALineThatIsNotACommentMentionsTheKey() throws IOException {
        write(user, "# socket: /commented.sock\nstore: [unclosed\n");
        assertThat(locations().socket(null).source()).as("not parsed: its only mention is a comment")
                .isEqualTo(Source.defaults());
        write(user, "# socket: /commented.sock\nsocket: [unclosed\n");
        assertThatThrownBy(() -> locations().socket(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("cannot read the config file " + user + ":");
    }

    @Test
    void aFieldOfAMapping() throws IOException {
        SettingLookup lookup = new SettingLookup(env, List.of(user, system));
        write(system, "log:\n  level: debug\n  format: json\n");
        write(user, "log:\n  format: text\n");
        assertThat(lookup.text(ConfigKeys.LOG_LEVEL, null)).contains(new Sourced<>("debug", Source.file(system, 2)));
        assertThat(lookup.text(ConfigKeys.LOG_FORMAT, null)).contains(new Sourced<>("text", Source.file(user, 2)));
        env.put("TEND_LOG_LEVEL", "warn");
        assertThat(lookup.text(ConfigKeys.LOG_LEVEL, null)).contains(new Sourced<>("warn",
                Source.env("TEND_LOG_LEVEL")));
        write(user, "log: info\n");
        assertThatThrownBy(() -> lookup.text(ConfigKeys.LOG_FORMAT, null))
                .hasMessage(user + ":1: log must be a mapping");
    }

    @Test
    void sourcesReadAsTendConfigShowsThem() {
        assertThat(Source.flag("--socket")).hasToString("flag --socket");
        assertThat(Source.env("TEND_SOCKET")).hasToString("env TEND_SOCKET");
        assertThat(Source.file(Path.of("/etc/tend/tend.yaml"), 3)).hasToString("/etc/tend/tend.yaml:3");
        assertThat(Source.defaults()).hasToString("default");
    }
}
