package dev.tend.kv.nats;

import dev.tend.kv.InvalidInputException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code nats://host:port[,host:port...]} store URL.
 *
 * @param servers  each server as {@code nats://host:port}, in the URL's order
 * @param redacted the URL without secrets, for messages and {@code KvStore.url()}
 */
record NatsUrl(List<String> servers, String redacted) {

    static final int DEFAULT_PORT = 4222;

    static NatsUrl parse(URI url) {
        String authority = url.getRawAuthority();
        if (authority == null || authority.isBlank()) {
            throw new InvalidInputException("invalid store URL \"" + url.getScheme() + ":" + url.getRawSchemeSpecificPart()
                    .replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@") + "\": use nats://host:port[,host:port...]");
        }
        if (authority.contains("@")) {
            // User, password and token options are the next slice; refuse rather than silently ignore them.
            throw new InvalidInputException("credentials in a nats:// store URL are not supported yet: use"
                    + " nats://host:port[,host:port...]");
        }
        List<String> servers = new ArrayList<>();
        for (String part : authority.split(",")) {
            String hostPort = part.trim();
            if (hostPort.isEmpty()) {
                throw new InvalidInputException("invalid store URL \"nats://" + authority
                        + "\": an empty server between commas");
            }
            servers.add("nats://" + (hostPort.matches(".*:\\d+$") ? hostPort : hostPort + ":" + DEFAULT_PORT));
        }
        return new NatsUrl(List.copyOf(servers), "nats://" + authority);
    }
}
