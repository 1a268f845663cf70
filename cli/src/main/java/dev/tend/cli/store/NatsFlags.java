package dev.tend.cli.store;

import dev.tend.cli.command.DurationConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The NATS connection flags of {@code tend kv} (inherited by its subcommands) and {@code tend agent}, mixed into
 * both. Unset flags are null; {@link ConnectionSettings} fills them from the environment and the config file.
 * The timeout is {@code --nats-timeout} because {@code kv watch} has a {@code --timeout} of its own.
 */
public final class NatsFlags {

    /** The flags that take a value, as they may appear before a {@code kv} subcommand's name. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("--user", "--password", "--token", "--creds",
            "--tls-ca", "--tls-cert", "--tls-key", "--connection-name", "--nats-timeout");

    @Option(names = "--user", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "NATS user (with --password). Default: TEND_NATS_USER, the config file's nats.user.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", scope = ScopeType.INHERIT,
            description = "NATS password; prefer TEND_NATS_PASSWORD or the config file (others can see arguments).")
    String password;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "NATS authentication token; prefer TEND_NATS_TOKEN or the config file.")
    String token;

    @Option(names = "--creds", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "NATS credentials file (user JWT and NKey seed).")
    Path creds;

    @Option(names = "--tls-ca", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "PEM file of the CA that signed the NATS server's certificate.")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "PEM client certificate for mutual TLS (with --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The client certificate's private key, PEM (PKCS#8).")
    Path tlsKey;

    @Option(names = "--connection-name", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "The connection's name as the NATS server shows it. Default: tend.")
    String name;

    @Option(names = "--nats-timeout", paramLabel = "DUR", scope = ScopeType.INHERIT,
            converter = DurationConverter.class,
            description = "How long to wait for a NATS server to connect and to answer a request. Default: 5s.")
    Duration timeout;

    /** No flags given (for {@code tend kv get --raw}'s fast path and for callers without picocli). */
    public static NatsFlags none() {
        return new NatsFlags();
    }

    /** The flags as values, for {@link ConnectionSettings}. */
    ConnectionSettings.Values values() {
        return new ConnectionSettings.Values(user, password, token, creds, tlsCa, tlsCert, tlsKey, name, timeout);
    }
}
