package dev.tend.kv.nats;

import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StoreUrls;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code nats://[user:password@|token@]host:port[,host:port...]} store URL. Credentials in the URL apply
 * to every server; {@link #toString()} and {@link #redacted()} never show them.
 *
 * @param servers  each server as {@code nats://host:port}, in the URL's order, without credentials
 * @param redacted the URL without secrets, for messages and {@code KvStore.url()}
 * @param user     the URL's user (from {@code user:password@}), or null
 * @param password the URL's password, or null
 * @param token    the URL's token (from {@code token@}), or null
 */
record NatsUrl(List<String> servers, String redacted, String user, String password, String token) {

    static final int DEFAULT_PORT = 4222;

    static NatsUrl parse(URI url) {
        String authority = url.getRawAuthority();
        if (authority == null || authority.isBlank()) {
            throw new InvalidInputException("invalid store URL \"" + url.getScheme() + ":"
                    + StoreUrls.redact(url.getRawSchemeSpecificPart()) + "\": use nats://host:port[,host:port...]");
        }
        String user = null;
        String password = null;
        String token = null;
        int at = authority.indexOf('@');
        String hosts = authority;
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            hosts = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                user = decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
                if (user.isEmpty() || password.isEmpty()) {
                    throw new InvalidInputException("invalid store URL \"nats://" + redactedAuthority(user, hosts)
                            + "\": credentials in a URL are user:password@ or token@");
                }
            } else {
                token = decode(userInfo);
                if (token.isEmpty()) {
                    throw new InvalidInputException("invalid store URL \"nats://@" + hosts + "\": an empty token");
                }
            }
        }
        String redacted = "nats://" + (at >= 0 ? redactedAuthority(user, hosts) : hosts);
        List<String> servers = new ArrayList<>();
        for (String part : hosts.split(",", -1)) {
            String hostPort = part.trim();
            if (hostPort.isEmpty()) {
                throw new InvalidInputException("invalid store URL \"" + redacted + "\": an empty server between commas");
            }
            if (hostPort.contains("@")) {
                throw new InvalidInputException("invalid store URL \"" + redacted.replaceAll("[^,@/]+@", "***@")
                        + "\": give credentials once, before the first server");
            }
            servers.add("nats://" + (hostPort.matches(".*:\\d+$") ? hostPort : hostPort + ":" + DEFAULT_PORT));
        }
        return new NatsUrl(List.copyOf(servers), redacted, user, password, token);
    }

    /** Whether the URL carries credentials. */
    boolean hasCredentials() {
        return user != null || token != null;
    }

    @Override
    public String toString() {
        return redacted;
    }

    /** {@code user:***@hosts} for user and password, {@code ***@hosts} for a token. */
    private static String redactedAuthority(String user, String hosts) {
        return (user != null ? user + ":***@" : "***@") + hosts;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("invalid store URL: its credentials have a bad %-escape");
        }
    }
}
