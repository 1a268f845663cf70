package dev.tend.cli.agent;

import dev.tend.cli.command.CommandException;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachinesManagerTest {

    private static final String KEY = "a".repeat(64);

    @TempDir
    Path dir;

    private MachinesManagerSettings options(boolean on, String... values) {
        return new MachinesManagerSettings(on, values.length > 0 ? values[0] : null,
                values.length > 1 ? values[1] : null, values.length > 2 ? values[2] : null,
                values.length > 3 ? values[3] : null, values.length > 4 ? values[4] : null, null);
    }

    @Test
    void offUnlessTheOptionOrAConfigFileSaysSo() throws Exception {
        Path machines = dir.resolve("machines");
        assertThat(options(false).resolve(List.of(dir.resolve("none.yaml")), machines)).isEmpty();
        assertThat(options(true).resolve(List.of(), machines)).contains(new MachinesManager("CHORIA_PLUGINS",
                "plugins", "", Duration.ofSeconds(30), true, machines));
        Path config = Files.writeString(dir.resolve("tend.yaml"), "plugin.machines.download: true\n"
                + "plugin.machines.bucket: FLEET\nplugin.machines.purge: false\nplugin.machines.check_interval: 2s\n"
                + "plugin.machines.signing_key: " + KEY + "\n");
        assertThat(options(false).resolve(List.of(config), machines)).contains(new MachinesManager("FLEET", "plugins",
                KEY, Duration.ofSeconds(2), false, machines));
        // an option wins over the file
        assertThat(options(false, "OTHER", "spec", null, "1m", "true").resolve(List.of(config), machines))
                .contains(new MachinesManager("OTHER", "spec", KEY, Duration.ofMinutes(1), true, machines));
    }

    @Test
    void badSettingsNameWhereTheyCameFrom() throws Exception {
        Path machines = dir.resolve("machines");
        assertThatThrownBy(() -> options(true, null, null, null, "1s").resolve(List.of(), machines))
                .isInstanceOf(CommandException.class)
                .hasMessage("--machines-check-interval must be at least 2s, not 1s");
        assertThatThrownBy(() -> options(true, null, null, "abc").resolve(List.of(), machines))
                .hasMessage("--machines-signing-key: the public key is not hex: odd length 3");
        Path config = Files.writeString(dir.resolve("tend.yaml"), "plugin.machines.download: yes please\n");
        assertThatThrownBy(() -> options(false).resolve(List.of(config), machines))
                .hasMessage("plugin.machines.download in " + config + " must be true or false, not yes please");
        assertThatThrownBy(() -> options(false, "B").resolve(List.of(), machines))
                .hasMessageStartingWith("the --machines-* options set up the built-in manager: add --manage-machines");
    }

    @Test
    void theMachineIsValidAndWrittenOnlyWhenItChanges() throws Exception {
        Path machines = Files.createDirectories(dir.resolve("machines"));
        MachinesManager manager = new MachinesManager("FLEET", "plugins", KEY, Duration.ofSeconds(5), true,
                machines);
        assertThat(manager.install(machines)).isTrue();
        assertThat(manager.install(machines)).isFalse();
        Path file = machines.resolve("plugins_manager/machine.yaml");
        // Loads as a machine (the plugins watcher's type may not be on this class path: only the structure is read)
        MachineLoader.Validation v = new MachineLoader(WatcherRegistry.load(getClass().getClassLoader()))
                .validate(file);
        assertThat(v.errors().stream().map(Object::toString))
                .allMatch(e -> e.contains("plugins"), "only the plugins type may be unknown here");
        if (v.isValid()) {
            MachineDefinition d = v.definition().orElseThrow();
            assertThat(d.name()).isEqualTo("plugins_manager");
            assertThat(d.initialState()).isEqualTo("INITIAL");
        }
        assertThat(new MachinesManager("FLEET", "plugins", KEY, Duration.ofSeconds(6), true, machines)
                .install(machines)).isTrue();
        assertThat(Files.readString(file)).contains("interval: 6s");

        assertThat(MachinesManager.uninstall(machines)).isTrue();
        assertThat(machines.resolve("plugins_manager")).doesNotExist();
        assertThat(MachinesManager.uninstall(machines)).isFalse();
    }

    @Test
    void anOperatorsOwnPluginsManagerIsNeverTouched() throws Exception {
        Path machines = Files.createDirectories(dir.resolve("machines"));
        Path own = Files.createDirectories(machines.resolve("plugins_manager"));
        Files.writeString(own.resolve("machine.yaml"), "name: plugins_manager\n");
        assertThat(MachinesManager.uninstall(machines)).isFalse();
        MachinesManager manager = new MachinesManager("B", "k", "", Duration.ofSeconds(30), true, machines);
        assertThatThrownBy(() -> manager.install(machines)).hasMessageContaining("is not the one tend agent "
                + "--manage-machines writes");
        assertThat(Files.readString(own.resolve("machine.yaml"))).isEqualTo("name: plugins_manager\n");
    }
}
