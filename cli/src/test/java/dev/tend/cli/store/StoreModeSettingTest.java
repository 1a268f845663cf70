package dev.tend.cli.store;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StoreMode;
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

class StoreModeSettingTest {

    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();

    private List<Path> configFiles() {
        return List.of(tmp.resolve("user.yaml"), tmp.resolve("system.yaml"));
    }

    private StoreMode resolve(String option) {
        return StoreModeSetting.resolve(option, env, configFiles());
    }

    @Test
    void ownerByDefault() {
        assertThat(resolve(null)).isEqualTo(StoreMode.OWNER);
    }

    @Test
    void theOptionThenTheEnvironmentThenTheUsersThenTheSystemsConfigFile() throws IOException {
        Files.writeString(tmp.resolve("system.yaml"), "store_mode: group\n");
        assertThat(resolve(null)).isEqualTo(StoreMode.GROUP);
        Files.writeString(tmp.resolve("user.yaml"), "store: /srv/kv\nstore_mode: owner\n");
        assertThat(resolve(null)).isEqualTo(StoreMode.OWNER);
        env.put("TEND_STORE_MODE", "Group");
        assertThat(resolve(null)).isEqualTo(StoreMode.GROUP);
        assertThat(resolve("owner")).isEqualTo(StoreMode.OWNER);
    }

    @Test
    void aWrongValueNamesWhereItCameFrom() throws IOException {
        assertThatThrownBy(() -> resolve("world")).isInstanceOf(InvalidInputException.class)
                .hasMessage("--store-mode must be owner or group, not \"world\"");
        env.put("TEND_STORE_MODE", "0644");
        assertThatThrownBy(() -> resolve(null)).hasMessage("TEND_STORE_MODE must be owner or group, not \"0644\"");
        env.clear();
        Files.writeString(tmp.resolve("system.yaml"), "store_mode: everyone\n");
        assertThatThrownBy(() -> resolve(null)).hasMessage("store_mode in " + tmp.resolve("system.yaml")
                + " must be owner or group, not \"everyone\"");
        Files.writeString(tmp.resolve("system.yaml"), "store_mode: [group\n");
        assertThatThrownBy(() -> resolve(null)).hasMessageStartingWith("cannot read the config file");
    }

    @Test
    void aConfigFileThatDoesNotMentionItIsNotParsed() throws IOException {
        // Not even checked: a one-shot command loads no YAML parser for a setting that is not there.
        Files.writeString(tmp.resolve("user.yaml"), "store: [unclosed\n");
        assertThat(resolve(null)).isEqualTo(StoreMode.OWNER);
    }
}
