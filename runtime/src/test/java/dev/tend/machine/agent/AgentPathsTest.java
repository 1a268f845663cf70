package dev.tend.machine.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgentPathsTest {

    @Test
    void rootUsesTheSystemLocations() {
        AgentPaths p = AgentPaths.defaults(true, Map.of("HOME", "/root", "XDG_RUNTIME_DIR", "/run/user/0"));
        assertThat(p.root()).isTrue();
        assertThat(p.machines()).isEqualTo(Path.of("/etc/tend/machines"));
        assertThat(p.store()).isEqualTo(Path.of("/var/lib/tend/kv"));
        assertThat(p.state()).isEqualTo(Path.of("/var/lib/tend"));
        assertThat(p.socket()).isEqualTo(Path.of("/run/tend/agent.sock"));
        assertThat(p.config()).isEqualTo(Path.of("/etc/tend/tend.yaml"));
        assertThat(p.plugins()).isEqualTo(Path.of("/usr/lib/tend/plugins"));
        assertThat(p.eventsFile()).isEqualTo(Path.of("/var/lib/tend/events.jsonl"));
    }

    @Test
    void aUserGetsTheXdgFallbacksUnderHome() {
        AgentPaths p = AgentPaths.defaults(false, Map.of("HOME", "/home/ann"));
        assertThat(p.root()).isFalse();
        assertThat(p.machines()).isEqualTo(Path.of("/home/ann/.config/tend/machines"));
        assertThat(p.store()).isEqualTo(Path.of("/home/ann/.local/share/tend/kv"));
        assertThat(p.state()).isEqualTo(Path.of("/home/ann/.local/state/tend"));
        assertThat(p.config()).isEqualTo(Path.of("/home/ann/.config/tend/tend.yaml"));
        assertThat(p.plugins()).isEqualTo(Path.of("/home/ann/.local/share/tend/plugins"));
        // No XDG_RUNTIME_DIR: the user's own state directory, never a shared one.
        assertThat(p.socket()).isEqualTo(Path.of("/home/ann/.local/state/tend/agent.sock"));
    }

    @Test
    void aUserGetsTheXdgVariables() {
        AgentPaths p = AgentPaths.defaults(false, Map.of("HOME", "/home/ann", "XDG_CONFIG_HOME", "/cfg",
                "XDG_DATA_HOME", "/data", "XDG_STATE_HOME", "/state", "XDG_RUNTIME_DIR", "/run/user/1000"));
        assertThat(p.machines()).isEqualTo(Path.of("/cfg/tend/machines"));
        assertThat(p.config()).isEqualTo(Path.of("/cfg/tend/tend.yaml"));
        assertThat(p.store()).isEqualTo(Path.of("/data/tend/kv"));
        assertThat(p.plugins()).isEqualTo(Path.of("/data/tend/plugins"));
        assertThat(p.state()).isEqualTo(Path.of("/state/tend"));
        assertThat(p.socket()).isEqualTo(Path.of("/run/user/1000/tend/agent.sock"));
    }

    @Test
    void relativeOrEmptyXdgVariablesAreIgnoredAsTheSpecificationSays() {
        AgentPaths p = AgentPaths.defaults(false, Map.of("HOME", "/home/ann", "XDG_CONFIG_HOME", "cfg",
                "XDG_DATA_HOME", "", "XDG_STATE_HOME", " ", "XDG_RUNTIME_DIR", "run"));
        assertThat(p.machines()).isEqualTo(Path.of("/home/ann/.config/tend/machines"));
        assertThat(p.store()).isEqualTo(Path.of("/home/ann/.local/share/tend/kv"));
        assertThat(p.state()).isEqualTo(Path.of("/home/ann/.local/state/tend"));
        assertThat(p.socket()).isEqualTo(Path.of("/home/ann/.local/state/tend/agent.sock"));
    }

    @Test
    void withoutHomeTheJavaUserHomeIsUsed() {
        AgentPaths p = AgentPaths.defaults(false, Map.of());
        assertThat(p.machines()).isEqualTo(Path.of(System.getProperty("user.home"), ".config/tend/machines"));
    }

    @Test
    void flagsOverrideEachLocation() {
        AgentPaths p = AgentPaths.defaults(true, Map.of())
                .withMachines(Path.of("/m")).withStore(Path.of("/k")).withState(Path.of("/s"))
                .withSocket(Path.of("/x.sock")).withConfig(Path.of("/c.yaml")).withPlugins(Path.of("/p"));
        assertThat(p).isEqualTo(new AgentPaths(true, Path.of("/m"), Path.of("/k"), Path.of("/s"), Path.of("/x.sock"),
                Path.of("/c.yaml"), Path.of("/p")));
    }

    @Test
    void theDefaultsFollowWhetherThisProcessIsRoot() {
        assertThat(AgentPaths.defaults(Map.of("HOME", "/home/ann")).root()).isEqualTo(AgentPaths.isRoot());
        assertThat(AgentPaths.isRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }
}
