package dev.tend.kv;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a store behind a server (NATS): credentials, TLS, the connection's name and its timeouts. The
 * embedded backend ignores them. Secrets never appear in {@link #toString()}.
 *
 * @param user           user name for user/password authentication, or null
 * @param password       the user's password, or null
 * @param token          an authentication token, or null
 * @param credentials    a NATS credentials file (JWT and NKey seed), or null
 * @param tlsCa          the CA certificate (PEM) that signs the server's certificate, or null for the JVM's trust store
 * @param tlsCert        the client certificate (PEM) for mutual TLS, or null
 * @param tlsKey         the client certificate's private key (PEM, PKCS#8), or null
 * @param name           the connection's name as the server shows it
 * @param connectTimeout how long to wait for a server to answer a connection attempt
 * @param requestTimeout how long to wait for the server to answer a request (a write, a read, an admin call)
 * @param reconnect      what to do when the connection to the server drops
 */
public record ConnectionOptions(String user, String password, String token, Path credentials, Path tlsCa,
                                Path tlsCert, Path tlsKey, String name, Duration connectTimeout,
                                Duration requestTimeout, Reconnect reconnect) {

    /** How hard a connection tries to get back to a server after it dropped. */
    public enum Reconnect {
        /** A command that runs once: a few quick attempts, then its calls fail (the default). */
        FAIL_FAST,
        /** A long-running process (the agent): keeps trying forever, with a capped wait between attempts. */
        FOREVER
    }

    public static final String DEFAULT_NAME = "tend";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    public ConnectionOptions {
        name = name == null || name.isBlank() ? DEFAULT_NAME : name;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        reconnect = reconnect == null ? Reconnect.FAIL_FAST : reconnect;
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new InvalidInputException("the connect timeout must be positive, not " + connectTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new InvalidInputException("the request timeout must be positive, not " + requestTimeout);
        }
    }

    /** Without a reconnect policy: {@link Reconnect#FAIL_FAST}. */
    public ConnectionOptions(String user, String password, String token, Path credentials, Path tlsCa, Path tlsCert,
                             Path tlsKey, String name, Duration connectTimeout, Duration requestTimeout) {
        this(user, password, token, credentials, tlsCa, tlsCert, tlsKey, name, connectTimeout, requestTimeout, null);
    }

    /** No credentials, no TLS, the default name and timeouts, failing fast. */
    public static ConnectionOptions defaults() {
        return new ConnectionOptions(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether any credentials (user, token or credentials file) are set. */
    public boolean hasCredentials() {
        return user != null || password != null || token != null || credentials != null;
    }

    public ConnectionOptions withReconnect(Reconnect reconnect) {
        return new ConnectionOptions(user, password, token, credentials, tlsCa, tlsCert, tlsKey, name, connectTimeout,
                requestTimeout, reconnect);
    }

    public ConnectionOptions withUser(String user, String password) {
        return new ConnectionOptions(user, password, token, credentials, tlsCa, tlsCert, tlsKey, name, connectTimeout,
                requestTimeout, reconnect);
    }

    public ConnectionOptions withToken(String token) {
        return new ConnectionOptions(user, password, token, credentials, tlsCa, tlsCert, tlsKey, name, connectTimeout,
                requestTimeout, reconnect);
    }

    public ConnectionOptions withCredentials(Path credentials) {
        return new ConnectionOptions(user, password, token, credentials, tlsCa, tlsCert, tlsKey, name, connectTimeout,
                requestTimeout, reconnect);
    }

    public ConnectionOptions withTls(Path ca, Path cert, Path key) {
        return new ConnectionOptions(user, password, token, credentials, ca, cert, key, name, connectTimeout,
                requestTimeout, reconnect);
    }

    public ConnectionOptions withName(String name) {
        return new ConnectionOptions(user, password, token, credentials, tlsCa, tlsCert, tlsKey, name, connectTimeout,
                requestTimeout, reconnect);
    }

    public ConnectionOptions withTimeouts(Duration connect, Duration request) {
        return new ConnectionOptions(user, password, token, credentials, tlsCa, tlsCert, tlsKey, name, connect,
                request, reconnect);
    }

    /** Describes the options without secrets: which kinds of credentials are set, never their values. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ConnectionOptions[name=").append(name);
        if (user != null) {
            b.append(", user=").append(user).append(password == null ? "" : ", password=***");
        }
        if (token != null) {
            b.append(", token=***");
        }
        if (credentials != null) {
            b.append(", credentials=").append(credentials);
        }
        if (tlsCa != null || tlsCert != null || tlsKey != null) {
            b.append(", tls[ca=").append(tlsCa).append(", cert=").append(tlsCert).append(", key=").append(tlsKey)
                    .append(']');
        }
        return b.append(", connectTimeout=").append(connectTimeout).append(", requestTimeout=")
                .append(requestTimeout).append(", reconnect=").append(reconnect).append(']').toString();
    }
}
