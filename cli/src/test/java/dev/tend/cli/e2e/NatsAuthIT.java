package dev.tend.cli.e2e;

import dev.tend.kv.nats.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static dev.tend.cli.e2e.Tend.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend kv put/get} through bin/tend against a NATS server that requires a password, given in the
 * environment and in the config file: it works, and the password appears in no output, not even with
 * {@code --debug} (whose logs go to stderr), nor in a refusal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsAuthIT {
    private static final String PASSWORD = "e2e-Pa55-secret-word";

    private Tend tend;
    private NatsServer server;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        tend = new Tend(dir);
        server = NatsServer.startWithConfig("authorization { user: tend, password: \"" + PASSWORD + "\" }");
    }

    @AfterAll
    void tearDown() {
        tend.close();
        server.close();
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("TEND_STORE", server.url());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private Tend.Result run(Map<String, String> env, String... args) throws Exception {
        Tend.Result r = tend.run(null, env, args);
        assertThat(new String(r.stdout()) + r.err()).as(r.describe()).doesNotContain(PASSWORD);
        return r;
    }

    /** With --debug stderr has the logs, so only the status counts. */
    private static void assertSucceeded(Tend.Result r) {
        assertThat(r.code()).as(r.describe()).isZero();
    }

    @Test
    void thePasswordFromTheEnvironmentIsUsedAndNeverShown() throws Exception {
        Map<String, String> env = env("TEND_NATS_USER", "tend", "TEND_NATS_PASSWORD", PASSWORD);
        assertOk(run(env, "kv", "add", "E2E_ENV"));
        assertSucceeded(run(env, "--debug", "kv", "put", "E2E_ENV", "k", "from-env"));

        Tend.Result get = run(env, "--debug", "kv", "get", "E2E_ENV", "k", "--raw");
        assertSucceeded(get);
        assertThat(get.out()).isEqualTo("from-env");
        assertThat(get.err()).as("--debug logs something").isNotEmpty();
        Tend.Result raw = run(env, "kv", "get", "E2E_ENV", "k", "--raw");
        assertThat(raw.out()).as(raw.describe()).isEqualTo("from-env");
    }

    @Test
    void thePasswordFromTheConfigFileIsUsedAndNeverShown() throws Exception {
        Path config = tend.tmp().resolve("home/.config/tend/tend.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "nats:\n  user: tend\n  password: \"" + PASSWORD + "\"\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        try {
            assertOk(run(env(), "kv", "add", "E2E_CONFIG"));
            assertSucceeded(run(env(), "--debug", "kv", "put", "E2E_CONFIG", "k", "from-config"));
            Tend.Result get = run(env(), "--debug", "kv", "get", "E2E_CONFIG", "k");
            assertSucceeded(get);
            assertThat(get.out()).contains("from-config");
            assertThat(run(env(), "kv", "get", "E2E_CONFIG", "k", "--raw").out()).isEqualTo("from-config");
        } finally {
            Files.delete(config);
        }
    }

    @Test
    void aWrongPasswordIsOneLineWithoutItEvenWithDebug() throws Exception {
        String wrong = "e2e-wrong-secret";
        Map<String, String> env = env("TEND_NATS_USER", "tend", "TEND_NATS_PASSWORD", wrong,
                "TEND_NATS_TIMEOUT", "3s");

        Tend.Result plain = run(env, "kv", "ls");
        assertThat(plain.code()).as(plain.describe()).isEqualTo(3);
        assertThat(plain.err()).isEqualTo("tend: NATS at " + server.url()
                + " refused the credentials: Authorization Violation\n");

        Tend.Result debug = run(env, "--debug", "kv", "put", "B", "k", "v");
        assertThat(debug.code()).as(debug.describe()).isEqualTo(3);
        assertThat(debug.err()).contains("refused the credentials").doesNotContain(wrong);
        Tend.Result flag = run(env(), "--debug", "kv", "--user", "tend", "--password", wrong, "--nats-timeout", "3s",
                "ls");
        assertThat(flag.code()).isEqualTo(3);
        assertThat(flag.err()).doesNotContain(wrong);
    }
}
