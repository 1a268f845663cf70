package dev.tend.watchers.archive;

import java.time.Duration;
import java.util.Objects;

/**
 * How to fetch an archive: {@code timeout} bounds the whole transfer (connect, headers and body), {@code username} and
 * {@code password} (both or neither) are sent as HTTP basic authentication, {@code insecure} skips TLS certificate
 * and host name verification, and {@code maxBytes} caps what is fetched.
 */
record FetchSettings(Duration timeout, String username, String password, boolean insecure, long maxBytes) {

    FetchSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }

    boolean basicAuth() {
        return username != null;
    }

    @Override
    public String toString() {
        return "FetchSettings[timeout=" + timeout + ", username=" + username + ", insecure=" + insecure
                + ", maxBytes=" + maxBytes + "]";
    }
}
