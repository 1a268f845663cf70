package dev.tend.cli.store;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StoreUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The NATS settings: flags over environment over the user's then the system's config file, and bad input. */
class ConnectionSettingsTest {

    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private Path userConfig() {
        return tmp.resolve("home/.config/tend/tend.yaml");
    }

    private Path systemConfig() {
        return tmp.resolve("etc/tend/tend.yaml");
    }

    private ConnectionOptions resolve(String... flags) {
        NatsFlags parsed = new NatsFlags();
        new CommandLine(parsed).parseArgs(flags);
        return ConnectionSettings.resolve(env, parsed, List.of(userConfig(), systemConfig()), warnings::add);
    }

    private Path write(Path file, String yaml) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void nothingSetGivesTheDefaults() {
        ConnectionOptions o = resolve();

        assertThat(o).isEqualTo(ConnectionOptions.defaults());
        assertThat(warnings).isEmpty();
    }

    @Test
    void eachSettingComesFromTheFirstSourceThatHasIt() throws IOException {
        write(systemConfig(), "store: nats://a:4222\nnats:\n  user: sys-user\n  password: sys-pw\n  name: sys-name\n"
                + "  timeout: 30s\n  tls:\n    ca: /etc/tend/ca.pem\n    cert: /etc/tend/cert.pem\n");
        write(userConfig(), "nats:\n  password: user-pw\n  tls: {cert: client.pem}\n");
        env.put("TEND_NATS_NAME", "env-name");
        env.put("TEND_NATS_TLS_KEY", "/env/key.pem");

        ConnectionOptions o = resolve("--user", "flag-user");

        assertThat(o.user()).isEqualTo("flag-user");
        assertThat(o.password()).isEqualTo("user-pw");
        assertThat(o.name()).isEqualTo("env-name");
        assertThat(o.tlsCa()).isEqualTo(Path.of("/etc/tend/ca.pem"));
        assertThat(o.tlsCert()).as("relative to the config file").isEqualTo(userConfig().resolveSibling("client.pem"));
        assertThat(o.tlsKey()).isEqualTo(Path.of("/env/key.pem"));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(o.requestTimeout());
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheConfigFile() throws IOException {
        write(userConfig(), "nats:\n  token: file-token\n  timeout: 1m\n");
        env.put("TEND_NATS_TOKEN", "env-token");
        env.put("TEND_NATS_TIMEOUT", "20s");

        assertThat(resolve().token()).isEqualTo("env-token");
        assertThat(resolve().connectTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(resolve("--token", "flag-token", "--nats-timeout", "2s"))
                .satisfies(o -> assertThat(o.token()).isEqualTo("flag-token"))
                .satisfies(o -> assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(2)));
        env.clear();
        assertThat(resolve().token()).isEqualTo("file-token");
    }

    @Test
    void twoKindsOfCredentialsAreRefusedNamingWhereEachCameFrom() throws IOException {
        write(systemConfig(), "nats:\n  creds: /etc/tend/tend.creds\n");
        env.put("TEND_NATS_TOKEN", "env-secret");

        assertThatThrownBy(() -> resolve("--user", "u", "--password", "flag-secret"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("give one kind of NATS credentials, not a user and password (the command line) and a"
                        + " token (the environment) and a credentials file (" + systemConfig() + ")");
    }

    @Test
    void badTimeoutsAreOneLineErrorsNamingTheirSource() throws IOException {
        env.put("TEND_NATS_TIMEOUT", "10");
        assertThatThrownBy(this::resolve).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("TEND_NATS_TIMEOUT: ").hasMessageContaining("add a unit");
        env.clear();
        assertThatThrownBy(() -> resolve("--nats-timeout", "0s")).isInstanceOf(InvalidInputException.class)
                .hasMessage("the NATS timeout (the command line) must be more than 0");
        write(userConfig(), "nats:\n  user: u\n  timeout: soon\n");
        assertThatThrownBy(this::resolve).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("nats.timeout in " + userConfig() + " (line 3): ");
    }

    @Test
    void unknownKeysAndWrongTypesNameTheFileAndLine() throws IOException {
        write(userConfig(), "store: nats://a\nnats:\n  user: u\n  pasword: p\n");
        assertThatThrownBy(this::resolve).isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown key nats.pasword in " + userConfig() + " (line 4) (known: creds, name,"
                        + " password, timeout, tls, token, user)");

        write(userConfig(), "nats:\n  tls:\n    ca: a.pem\n    crt: b.pem\n");
        assertThatThrownBy(this::resolve).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown key nats.tls.crt in " + userConfig() + " (line 4)");

        write(userConfig(), "nats:\n  user: [a, b]\n");
        assertThatThrownBy(this::resolve).isInstanceOf(InvalidInputException.class)
                .hasMessage("nats.user in " + userConfig() + " (line 2) must be a single value, not a list or"
                        + " mapping");

        write(userConfig(), "nats: nats://a:4222\n");
        assertThatThrownBy(this::resolve).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("nats in " + userConfig() + " (line 1) must be a mapping");

        write(userConfig(), "nats:\n  tls: /etc/ca.pem\n");
        assertThatThrownBy(this::resolve).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("nats.tls in " + userConfig() + " (line 2) must be a mapping");
    }

    @Test
    void aNumericPasswordIsItsText() throws IOException {
        write(userConfig(), "nats:\n  user: u\n  password: 0123\n");

        assertThat(resolve().password()).isEqualTo("0123");
    }

    @Test
    void aSecretInAFileOthersCanReadIsWarnedAboutOnceWithoutTheSecret() throws IOException {
        Path file = write(userConfig(), "nats:\n  user: u\n  password: hunter2-secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(resolve().password()).isEqualTo("hunter2-secret");
        assertThat(warnings).containsExactly("warning: " + file + " holds a NATS password and other users can read"
                + " it: chmod o-r " + file);

        warnings.clear();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        resolve();
        assertThat(warnings).as("group-readable, as /etc/tend/tend.yaml for a tend group").isEmpty();
    }

    @Test
    void onlyNatsUrlsNeedTheSettings() {
        assertThat(ConnectionSettings.isNats("nats://a:4222")).isTrue();
        assertThat(ConnectionSettings.isNats(" NATS://a")).isTrue();
        assertThat(ConnectionSettings.isNats("file:///var/lib/tend/kv")).isFalse();
        assertThat(ConnectionSettings.isNats("/var/lib/nats")).isFalse();
    }

    @Test
    void urlsLoseTheirSecretsForLogs() {
        assertThat(StoreUrls.redact("nats://u:pw@a:4222,b")).isEqualTo("nats://u:***@a:4222,b");
        assertThat(StoreUrls.redact("nats://tok@a:4222")).isEqualTo("nats://***@a:4222");
        assertThat(StoreUrls.redact("file:///var/lib/tend/kv")).isEqualTo("file:///var/lib/tend/kv");
    }
}
