package dev.tend.cli.kv;

import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreLocatorTest {

    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();

    private StoreLocator locator() {
        env.putIfAbsent("HOME", tmp.resolve("home").toString());
        return new StoreLocator(env, tmp.resolve("etc/tend.yaml"), tmp.resolve("var/kv"));
    }

    @Test
    void theOptionWinsThenTheEnvironment() {
        env.put("TEND_STORE", "file:///env");
        assertThat(locator().select("file:///opt")).isEqualTo(new StoreLocator.Selection("file:///opt", "--store"));
        assertThat(locator().select(null)).isEqualTo(new StoreLocator.Selection("file:///env", "TEND_STORE"));
        assertThatThrownBy(() -> locator().select(" ")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void thenTheUserConfigThenTheSystemConfig() throws IOException {
        Path system = tmp.resolve("etc/tend.yaml");
        Files.createDirectories(system.getParent());
        Files.writeString(system, "# system\nstore: file:///system\n");
        assertThat(locator().select(null)).isEqualTo(new StoreLocator.Selection("file:///system", system.toString()));

        Path user = tmp.resolve("home/.config/tend/tend.yaml");
        Files.createDirectories(user.getParent());
        Files.writeString(user, "store: /user/kv\nnats:\n  creds: x\n");
        assertThat(locator().select(null)).isEqualTo(new StoreLocator.Selection("/user/kv", user.toString()));

        Path xdg = tmp.resolve("xdg/tend/tend.yaml");
        Files.createDirectories(xdg.getParent());
        Files.writeString(xdg, "store: /xdg/kv\n");
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        assertThat(locator().select(null).url()).isEqualTo("/xdg/kv");
    }

    @Test
    void aConfigWithoutStoreIsSkippedAMalformedOneIsAnError() throws IOException {
        Path system = tmp.resolve("etc/tend.yaml");
        Files.createDirectories(system.getParent());
        Files.writeString(system, "other: 1\n");
        assertThat(locator().select(null).source()).isEqualTo("default");
        Files.writeString(system, "store: [unclosed\n");
        assertThatThrownBy(() -> locator().select(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("cannot read the config file " + system);
        Files.writeString(system, "- a list\n");
        assertThatThrownBy(() -> locator().select(null)).hasMessageContaining("must be a YAML mapping");
    }

    @Test
    void thenTheSystemStoreWhenItExists() throws IOException {
        assertThat(locator().select(null).url()).isEqualTo(tmp.resolve("home/.local/share/tend/kv").toString());
        Files.createDirectories(tmp.resolve("var/kv"));
        assertThat(locator().select(null)).isEqualTo(new StoreLocator.Selection(tmp.resolve("var/kv").toString(),
                "default"));
    }

    @Test
    void xdgDataHomeWhenSet() {
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        assertThat(locator().select(null).url()).isEqualTo(tmp.resolve("data/tend/kv").toString());
        env.put("XDG_DATA_HOME", "relative");
        assertThat(locator().select(null).url()).isEqualTo(tmp.resolve("home/.local/share/tend/kv").toString());
    }

    @Test
    void theCliUsesTheEnvironmentItIsGiven() {
        KvCli cli = new KvCli(tmp.resolve("unused"));
        cli.env.put("TEND_STORE", tmp.resolve("fromenv").toString());
        assertThat(cli.tend("kv", "add", "CFG").code()).isZero();
        assertThat(tmp.resolve("fromenv/CFG")).isDirectory();
    }
}
