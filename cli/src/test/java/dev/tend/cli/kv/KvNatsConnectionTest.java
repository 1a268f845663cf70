package dev.tend.cli.kv;

import dev.tend.kv.nats.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend kv} against a NATS server that requires a password: the flags (before or after the subcommand),
 * the environment and the config file all reach the connection; a refusal is one line without the password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvNatsConnectionTest {
    private static final String PASSWORD = "cli-pa55-secret";

    private NatsServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    void start() {
        server = NatsServer.startWithConfig("authorization { user: tend, password: \"" + PASSWORD + "\" }");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private KvCli cli() {
        KvCli cli = new KvCli(tmp);
        cli.env.put("TEND_STORE", server.url());
        cli.env.put("TEND_NATS_TIMEOUT", "3s"); // a refusal waits out the connect timeout (jnats)
        return cli;
    }

    @Test
    void flagsGoBeforeOrAfterTheSubcommand() {
        KvCli cli = cli();
        KvCli.Result add = cli.tend("kv", "--user", "tend", "--password", PASSWORD, "add", "CLI_FLAGS");
        assertThat(add.code()).as(add.toString()).isZero();
        KvCli.Result put = cli.tend("kv", "put", "CLI_FLAGS", "k", "v1", "--user=tend", "--password=" + PASSWORD);
        assertThat(put.code()).as(put.toString()).isZero();
        KvCli.Result get = cli.tend("kv", "get", "CLI_FLAGS", "k", "--raw", "--user", "tend", "--password", PASSWORD);
        assertThat(get.out()).isEqualTo("v1");
    }

    @Test
    void theEnvironmentAndTheFastRawGetUseThePassword() {
        KvCli cli = cli();
        cli.env.put("TEND_NATS_USER", "tend");
        cli.env.put("TEND_NATS_PASSWORD", PASSWORD);
        assertThat(cli.tend("kv", "add", "CLI_ENV").code()).isZero();
        assertThat(cli.tend("kv", "put", "CLI_ENV", "k", "from-env").code()).isZero();

        KvCli.Result raw = cli.tend("kv", "get", "CLI_ENV", "k", "--raw");

        assertThat(raw.code()).as(raw.toString()).isZero();
        assertThat(raw.out()).isEqualTo("from-env");
    }

    @Test
    void theConfigFileGivesThePasswordAndAWarningWhenOthersCanReadIt() throws IOException {
        KvCli cli = cli();
        Path config = tmp.resolve("home/.config/tend/tend.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "nats:\n  user: tend\n  password: " + PASSWORD + "\n");
        config.toFile().setReadable(true, false);

        KvCli.Result ls = cli.tend("kv", "ls");

        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(ls.err()).isEqualTo("tend: warning: " + config + " holds a NATS password and other users can read"
                + " it: chmod o-r " + config + "\n");
        assertThat(ls.err() + ls.out()).doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordIsOneLineWithoutIt() {
        KvCli cli = cli();
        cli.env.put("TEND_NATS_USER", "tend");
        cli.env.put("TEND_NATS_PASSWORD", "wrong-secret");

        for (String[] args : new String[][] {{"kv", "ls"}, {"kv", "get", "B", "k", "--raw"}}) {
            KvCli.Result r = cli.tend(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).isEqualTo("tend: NATS at " + server.url()
                    + " refused the credentials: Authorization Violation\n");
        }
    }

    @Test
    void badSettingsAreUsageErrors() {
        KvCli cli = cli();
        KvCli.Result missing = cli.tend("kv", "--user", "tend", "--password", PASSWORD, "--tls-ca",
                tmp.resolve("nope.pem").toString(), "ls");
        assertThat(missing.code()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("tend: the TLS CA file " + tmp.resolve("nope.pem") + " does not exist\n");

        KvCli.Result both = cli.tend("kv", "--token", "t-secret", "--user", "tend", "--password", PASSWORD, "ls");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).startsWith("tend: give one kind of NATS credentials").doesNotContain(PASSWORD)
                .doesNotContain("t-secret");
    }
}
