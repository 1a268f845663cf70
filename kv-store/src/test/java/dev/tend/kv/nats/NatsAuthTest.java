package dev.tend.kv.nats;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * User/password, token and credentials-file authentication against real servers that require it, from the
 * connection options and from the store URL; refusals are one line and never show the secret.
 *
 * <p>The tests run side by side: most wait for a refusal (a connect timeout), and they only read the servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
class NatsAuthTest {
    private static final String PASSWORD = "pa55-w0rd-secret";
    private static final String TOKEN = "t0ken-secret";
    private static final java.time.Duration QUICK = java.time.Duration.ofSeconds(2);

    private NatsServer userServer;
    private NatsServer tokenServer;

    @BeforeAll
    void startServers() {
        userServer = NatsServer.startWithConfig("authorization { user: tend, password: \"" + PASSWORD + "\" }");
        tokenServer = NatsServer.startWithConfig("authorization { token: \"" + TOKEN + "\" }");
    }

    @AfterAll
    void stopServers() {
        userServer.close();
        tokenServer.close();
    }

    @Test
    void userAndPasswordOpenTheStore() {
        try (KvStore store = open(userServer.url(), ConnectionOptions.defaults().withUser("tend", PASSWORD))) {
            assertThat(store.bucketNames()).isNotNull();
        }
    }

    @Test
    void aWrongPasswordIsRefusedInOneLineWithoutThePassword() {
        String wrong = "wr0ng-secret";
        assertThatThrownBy(() -> open(userServer.url(), ConnectionOptions.defaults().withUser("tend", wrong)))
                .isInstanceOf(StoreException.class)
                .hasMessage("NATS at " + userServer.url() + " refused the credentials: Authorization Violation")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain("\n"));
    }

    @Test
    void noCredentialsForAServerThatNeedsThemSaysSo() {
        assertThatThrownBy(() -> open(userServer.url(), ConnectionOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("requires credentials").hasMessageContaining("Authorization Violation");
    }

    @Test
    void tokenOpensTheStoreAndAWrongOneIsRefused() {
        try (KvStore store = open(tokenServer.url(), ConnectionOptions.defaults().withToken(TOKEN))) {
            assertThat(store.bucketNames()).isNotNull();
        }
        assertThatThrownBy(() -> open(tokenServer.url(), ConnectionOptions.defaults().withToken("other-secret")))
                .isInstanceOf(StoreException.class).hasMessageContaining("refused the credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("other-secret"));
    }

    @Test
    void credentialsInTheUrlAreUsedAndNeverShown() {
        String userUrl = "nats://tend:" + PASSWORD + "@127.0.0.1:" + userServer.port();
        try (KvStore store = KvStore.open(userUrl)) {
            assertThat(store.url()).isEqualTo("nats://tend:***@127.0.0.1:" + userServer.port());
            assertThat(store.toString()).doesNotContain(PASSWORD);
        }
        String tokenUrl = "nats://" + TOKEN + "@127.0.0.1:" + tokenServer.port();
        try (KvStore store = KvStore.open(tokenUrl)) {
            assertThat(store.url()).isEqualTo("nats://***@127.0.0.1:" + tokenServer.port());
        }
        assertThatThrownBy(() -> open("nats://tend:wrong-secret@127.0.0.1:" + userServer.port(),
                ConnectionOptions.defaults()))
                .isInstanceOf(StoreException.class).hasMessageContaining("refused the credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-secret").contains("tend:***@"));
    }

    @Test
    void credentialsInBothTheUrlAndTheOptionsAreRefused() {
        String url = "nats://tend:" + PASSWORD + "@127.0.0.1:" + userServer.port();
        assertThatThrownBy(() -> open(url, ConnectionOptions.defaults().withToken(TOKEN)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("give them in one place")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain(TOKEN));
    }

    @Test
    void severalKindsOfCredentialsOrHalfOfOneAreRefused() {
        assertThatThrownBy(() -> open(userServer.url(), ConnectionOptions.defaults().withUser("tend", PASSWORD)
                .withToken(TOKEN))).isInstanceOf(InvalidInputException.class).hasMessageContaining("one kind");
        assertThatThrownBy(() -> open(userServer.url(), ConnectionOptions.defaults().withUser("tend", null)))
                .isInstanceOf(InvalidInputException.class).hasMessage("the NATS user tend needs a password too");
        assertThatThrownBy(() -> open(userServer.url(), ConnectionOptions.defaults().withUser(null, PASSWORD)))
                .isInstanceOf(InvalidInputException.class).hasMessage("a NATS password needs a user too");
    }

    @Test
    void aCredentialsFileSignsWithItsNkey(@TempDir Path dir) throws Exception {
        // nats-server 2.9 checks a creds file's NKey signature against a configured nkey user (the JWT is not
        // verified without an operator); the file is read and used as jnats reads it.
        NKey user = NKey.createUser(new SecureRandom());
        NKey account = NKey.createAccount(new SecureRandom());
        Path creds = dir.resolve("tend.creds");
        Files.writeString(creds, credsFile(JwtUtils.issueUserJWT(account, new String(account.getPublicKey()),
                new String(user.getPublicKey())), new String(user.getSeed())));
        NKey stranger = NKey.createUser(new SecureRandom());
        Path strangerCreds = dir.resolve("stranger.creds");
        Files.writeString(strangerCreds, credsFile(JwtUtils.issueUserJWT(account, new String(account.getPublicKey()),
                new String(stranger.getPublicKey())), new String(stranger.getSeed())));
        Path garbage = Files.writeString(dir.resolve("garbage.creds"), "not a creds file\n");

        try (NatsServer server = NatsServer.startWithConfig("authorization { users = [ { nkey: "
                + new String(user.getPublicKey()) + " } ] }")) {
            try (KvStore store = open(server.url(), ConnectionOptions.defaults().withCredentials(creds))) {
                assertThat(store.bucketNames()).isNotNull();
            }
            assertThatThrownBy(() -> open(server.url(), ConnectionOptions.defaults().withCredentials(strangerCreds)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("refused the credentials");
            assertThatThrownBy(() -> open(server.url(), ConnectionOptions.defaults().withCredentials(garbage)))
                    .isInstanceOf(StoreException.class).hasMessageContaining(garbage + " holds no valid user seed");
            assertThatThrownBy(() -> open(server.url(), ConnectionOptions.defaults()
                    .withCredentials(dir.resolve("missing.creds"))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("the NATS credentials file " + dir.resolve("missing.creds") + " does not exist");
        }
    }

    @Test
    void theConnectionCarriesTheNameAndTheServerVersionIsKept() throws Exception {
        ConnectionOptions options = ConnectionOptions.defaults().withUser("tend", PASSWORD).withName("tend-test-name");
        try (Connection c = NatsConnections.connect(userServer.url(), options)) {
            assertThat(c.getOptions().getConnectionName()).isEqualTo("tend-test-name");
            assertThat(c.getOptions().getMaxReconnect()).isEqualTo(NatsConnections.FAIL_FAST_RECONNECTS);
        }
        try (Connection c = NatsConnections.connect(userServer.url(),
                options.withReconnect(ConnectionOptions.Reconnect.FOREVER))) {
            assertThat(c.getOptions().getMaxReconnect()).as("forever").isEqualTo(-1);
        }
        try (KvStore store = open(userServer.url(), options)) {
            assertThat(((NatsKvStore) store).serverVersion()).get()
                    .satisfies(v -> assertThat(v.atLeast(NatsServerVersion.MINIMUM)).isTrue());
        }
    }

    @Test
    void theUrlParserKeepsCredentialsOutOfItsText() {
        NatsUrl url = NatsUrl.parse(URI.create("nats://bob:p%40ss%3Aword@a:4223,b"));

        assertThat(url.user()).isEqualTo("bob");
        assertThat(url.password()).isEqualTo("p@ss:word");
        assertThat(url.servers()).containsExactly("nats://a:4223", "nats://b:4222");
        assertThat(url.toString()).isEqualTo("nats://bob:***@a:4223,b").isEqualTo(url.redacted());
        assertThat(NatsUrl.parse(URI.create("nats://s3cr3t@a")).token()).isEqualTo("s3cr3t");
        assertThatThrownBy(() -> KvStore.open("nats://bad sec^ret@a:4222"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("nats://***@a:4222")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sec^ret"));
    }

    /**
     * Opens with a short connect timeout: jnats waits for the server's PONG after a refused CONNECT until the
     * timeout before it reports the refusal, so each refusal below costs that long.
     */
    private static KvStore open(String url, ConnectionOptions options) {
        return KvStore.builder().url(url).connection(options.withTimeouts(QUICK, options.requestTimeout())).build();
    }

    private static String credsFile(String jwt, String seed) {
        return "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n";
    }
}
