package dev.tend.kv.nats;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StoreException;
import dev.tend.kv.StoreUrls;
import dev.tend.kv.support.DaemonThreads;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens jnats connections the way the NATS store does, for Tend's other NATS users (the agent's event publisher,
 * {@code tend machine events}) so that every connection honours the same URL, credentials, TLS, timeouts and
 * reconnect policy.
 */
public final class NatsConnections {
    /** Between reconnect attempts to one server; constant, so a long outage costs one attempt per server per wait. */
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(2);
    /** Reconnect attempts per server before a {@code FAIL_FAST} connection gives up (about 6 s with the wait). */
    static final int FAIL_FAST_RECONNECTS = 3;
    /** What a dropped connection buffers for the server; beyond it a publish fails instead of using more memory. */
    static final long RECONNECT_BUFFER_BYTES = 8L * 1024 * 1024;

    /** How long the threads of {@link #idleEnding} wait for more work before they end. */
    static final Duration IDLE_THREAD_END = Duration.ofSeconds(30);

    /** How long a failed connect waits for the callbacks queued before it to report their reasons. */
    static final Duration CALLBACK_DRAIN = Duration.ofSeconds(2);

    private NatsConnections() {
    }

    /**
     * Connects to the servers of a {@code nats://[user:password@|token@]host:port[,host:port...]} URL.
     *
     * @throws InvalidInputException when the URL or the options are invalid (e.g. a missing file)
     * @throws StoreException when no server can be reached or the server refuses the connection
     */
    public static Connection connect(String url, ConnectionOptions options) {
        return connect(parse(url), options);
    }

    private static NatsUrl parse(String url) {
        try {
            return NatsUrl.parse(URI.create(url.strip()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("invalid NATS URL \"" + StoreUrls.redact(url.strip()) + "\"");
        }
    }

    /**
     * Checks the URL and the options as {@link #connect} would (files exist and hold what they should, one kind of
     * credentials) without connecting: for a process that connects later and should fail at its start instead.
     *
     * @throws InvalidInputException naming what is wrong
     */
    public static void check(String url, ConnectionOptions options) {
        options(parse(url), options, new NatsConnectionEvents(""));
    }

    static Connection connect(NatsUrl url, ConnectionOptions options) {
        NatsConnectionEvents events = new NatsConnectionEvents(url.redacted());
        Options natsOptions = options(url, options, events);
        try {
            return Nats.connect(natsOptions);
        } catch (IOException | RuntimeException e) {
            awaitCallbacks(natsOptions);
            throw NatsConnectErrors.of(url, options, e, events.problems());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while connecting to NATS at " + url.redacted(), e);
        }
    }

    /**
     * Waits until the listener callbacks jnats queued before now have run, so that a failed connect's reasons (a TLS
     * refusal, say) are in the events. jnats drains its own callback executor when a connect fails; it leaves one it
     * was given alone, and ours runs one callback at a time, in order.
     */
    private static void awaitCallbacks(Options natsOptions) {
        try {
            natsOptions.getCallbackExecutor().submit(() -> { }).get(CALLBACK_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // the reasons known so far will do
        }
    }

    /** The jnats options: servers, credentials (the URL's or the options'), TLS, name, timeouts, reconnects. */
    static Options options(NatsUrl url, ConnectionOptions options, NatsConnectionEvents events) {
        Options.Builder b = Options.builder()
                .servers(url.servers().toArray(String[]::new))
                .connectionName(options.name())
                .connectionTimeout(options.connectTimeout())
                .connectionListener(events)
                .errorListener(events)
                .reconnectWait(RECONNECT_WAIT)
                .reconnectBufferSize(RECONNECT_BUFFER_BYTES)
                .maxReconnects(options.reconnect() == ConnectionOptions.Reconnect.FOREVER ? -1 : FAIL_FAST_RECONNECTS)
                .callbackExecutor(idleEnding("tend-nats-callback"))
                .connectExecutor(idleEnding("tend-nats-connect"));
        credentials(url, options, b);
        if (options.tlsCa() != null || options.tlsCert() != null || options.tlsKey() != null) {
            checkReadable(options.tlsCa(), "TLS CA");
            checkReadable(options.tlsCert(), "TLS client certificate");
            checkReadable(options.tlsKey(), "TLS key");
            b.sslContext(NatsTls.context(options.tlsCa(), options.tlsCert(), options.tlsKey()));
        }
        return b.build();
    }

    /**
     * One named daemon thread that ends after {@link #IDLE_THREAD_END} without work, in place of jnats' defaults for
     * its listener callbacks and reconnects ({@code Executors.newSingleThreadExecutor()}: threads named
     * {@code pool-N-thread-1}). jnats leaves an executor it was given running when the connection closes; this one
     * needs no shutdown, its thread ends on its own and the executor goes with the connection.
     */
    static ExecutorService idleEnding(String name) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, IDLE_THREAD_END.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new DaemonThreads(name));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static void credentials(NatsUrl url, ConnectionOptions options, Options.Builder b) {
        if (url.hasCredentials() && options.hasCredentials()) {
            throw new InvalidInputException("the store URL " + url.redacted() + " has credentials and so do the"
                    + " connection options (user, token or credentials file): give them in one place");
        }
        String user = url.hasCredentials() ? url.user() : options.user();
        String password = url.hasCredentials() ? url.password() : options.password();
        String token = url.hasCredentials() ? url.token() : options.token();
        int kinds = (user != null || password != null ? 1 : 0) + (token != null ? 1 : 0)
                + (options.credentials() != null ? 1 : 0);
        if (kinds > 1) {
            throw new InvalidInputException("give one kind of NATS credentials: a user and password, a token, or a"
                    + " credentials file, not several");
        }
        if (user != null || password != null) {
            if (user == null || user.isEmpty() || password == null) {
                throw new InvalidInputException(user == null || user.isEmpty()
                        ? "a NATS password needs a user too" : "the NATS user " + user + " needs a password too");
            }
            b.userInfo(user.toCharArray(), password.toCharArray());
        } else if (token != null) {
            if (token.isEmpty()) {
                throw new InvalidInputException("the NATS token is empty");
            }
            b.token(token.toCharArray());
        } else if (options.credentials() != null) {
            checkReadable(options.credentials(), "NATS credentials");
            b.authHandler(Nats.credentials(options.credentials().toString()));
        }
    }

    /** A one-line error naming the file when a configured file is missing or unreadable. */
    static void checkReadable(Path file, String what) {
        if (file == null) {
            return;
        }
        if (!Files.exists(file)) {
            throw new InvalidInputException("the " + what + " file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("the " + what + " file " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException("cannot read the " + what + " file " + file + ": permission denied");
        }
    }
}
