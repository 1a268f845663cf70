package dev.tend.cli.store;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.units.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Resolves the NATS connection settings, each setting on its own, first match wins: the flags, the environment
 * ({@code TEND_NATS_USER}, ...), the user's config file, the system's config file (the files and order of
 * {@link StoreLocator}; their {@code nats:} mapping, read by {@link NatsConfigFile}). Only one kind of
 * credentials may result (a user and password, a token, or a credentials file), wherever each came from.
 */
public final class ConnectionSettings {

    /** The settings of one source; null where the source does not set one. */
    record Values(String user, String password, String token, Path creds, Path tlsCa, Path tlsCert, Path tlsKey,
                  String name, Duration timeout) {
        static final Values NONE = new Values(null, null, null, null, null, null, null, null, null);
    }

    /** A source's settings and how to name it in messages (e.g. {@code the environment}). */
    record Source(String description, Values values) {
    }

    private ConnectionSettings() {
    }

    /**
     * The connection options for a command with these flags in this environment, reading the config files that
     * {@link StoreLocator} reads. Warnings (a config file with a secret that others can read) go to {@code warn},
     * one line each.
     *
     * @throws InvalidInputException naming the setting and where it came from when one is invalid
     */
    public static ConnectionOptions resolve(Map<String, String> env, NatsFlags flags, Consumer<String> warn) {
        return resolve(env, flags, new StoreLocator(env).configFiles(), warn);
    }

    /** Whether a store URL is a NATS one, and so needs the connection settings. */
    public static boolean isNats(String url) {
        return url.strip().regionMatches(true, 0, "nats:", 0, 5);
    }

    static ConnectionOptions resolve(Map<String, String> env, NatsFlags flags, List<Path> configFiles,
                                     Consumer<String> warn) {
        List<Source> sources = new ArrayList<>();
        sources.add(new Source("the command line", flags.values()));
        sources.add(new Source("the environment", fromEnv(env)));
        for (Path file : configFiles) {
            Values values = NatsConfigFile.read(file, warn);
            if (values != null) {
                sources.add(new Source(file.toString(), values));
            }
        }
        return merge(sources);
    }

    /** Each setting from the first source that has it. */
    static ConnectionOptions merge(List<Source> sources) {
        Found<String> user = first(sources, Values::user);
        Found<String> password = first(sources, Values::password);
        Found<String> token = first(sources, Values::token);
        Found<Path> creds = first(sources, Values::creds);
        List<String> kinds = new ArrayList<>();
        if (user != null || password != null) {
            kinds.add("a user and password (" + (user != null ? user.source : password.source) + ")");
        }
        if (token != null) {
            kinds.add("a token (" + token.source + ")");
        }
        if (creds != null) {
            kinds.add("a credentials file (" + creds.source + ")");
        }
        if (kinds.size() > 1) {
            throw new InvalidInputException("give one kind of NATS credentials, not " + String.join(" and ", kinds));
        }
        Found<Duration> timeout = first(sources, Values::timeout);
        if (timeout != null && (timeout.value.isZero() || timeout.value.isNegative())) {
            throw new InvalidInputException("the NATS timeout (" + timeout.source + ") must be more than 0");
        }
        Found<String> name = first(sources, Values::name);
        Duration t = timeout == null ? null : timeout.value;
        return new ConnectionOptions(value(user), value(password), value(token), value(creds),
                value(first(sources, Values::tlsCa)), value(first(sources, Values::tlsCert)),
                value(first(sources, Values::tlsKey)), value(name), t, t);
    }

    /** {@code TEND_NATS_USER}, {@code TEND_NATS_PASSWORD}, ...; empty variables count as unset. */
    static Values fromEnv(Map<String, String> env) {
        String timeout = get(env, "TEND_NATS_TIMEOUT");
        Duration parsed = null;
        if (timeout != null) {
            try {
                parsed = Durations.parse(timeout);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("TEND_NATS_TIMEOUT: " + e.getMessage(), e);
            }
        }
        return new Values(get(env, "TEND_NATS_USER"), get(env, "TEND_NATS_PASSWORD"), get(env, "TEND_NATS_TOKEN"),
                path(env, "TEND_NATS_CREDS"), path(env, "TEND_NATS_TLS_CA"), path(env, "TEND_NATS_TLS_CERT"),
                path(env, "TEND_NATS_TLS_KEY"), get(env, "TEND_NATS_NAME"), parsed);
    }

    private record Found<T>(T value, String source) {
    }

    private static <T> Found<T> first(List<Source> sources, Function<Values, T> setting) {
        for (Source s : sources) {
            T v = setting.apply(s.values());
            if (v != null) {
                return new Found<>(v, s.description());
            }
        }
        return null;
    }

    private static <T> T value(Found<T> found) {
        return found == null ? null : found.value;
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static Path path(Map<String, String> env, String name) {
        String v = get(env, name);
        return v == null ? null : Path.of(v);
    }
}
