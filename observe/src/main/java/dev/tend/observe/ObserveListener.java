package dev.tend.observe;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's HTTP listener ({@code tend agent --listen}): the JDK's {@link HttpServer} on one address, serving the
 * routes it is given. Requests run on a bounded pool ({@link Builder#threads}, {@link Builder#queue}): a request that
 * finds the pool and its queue full is refused, its connection closed, rather than piling up; a connection that does
 * not send its request head within {@link Builder#headTimeout} of its first byte is closed, so clients that send half
 * a request and wait cannot hold the request threads ({@code HeadDeadline}). Made with
 * {@link #builder}, bound by {@link #start()}, ended by {@link #stop()} (or {@link #close()}).
 *
 * <p>A route's path is matched exactly, or, when it ends with {@code /}, as a prefix: {@code /} serves every path no
 * other route serves. Anything else answers 404; a handler that throws answers 500 (logged).
 *
 * <p>Threads: the JDK's {@code HTTP-Dispatcher} (accepting connections, named by the JDK), and up to
 * {@link Builder#threads} {@code tend-observe-http-N} (the requests), {@code tend-observe-deadline-N} (the request
 * heads' deadlines); all daemons, ended by {@link #stop()}.
 */
public final class ObserveListener implements AutoCloseable {

    /** The default number of request threads: the listener serves a scraper and a few browsers. */
    public static final int DEFAULT_THREADS = 2;
    /** The default number of requests waiting for a thread. */
    public static final int DEFAULT_QUEUE = 32;
    /** The default time a connection has to send its request head once it sent its first byte. */
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ObserveListener.class);
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final ListenAddress address;
    private final int threads;
    private final int queue;
    private final Duration headTimeout;
    private final Map<String, HttpHandler> routes;
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private HeadDeadline deadline;
    private boolean stopped;

    private ObserveListener(Builder b) {
        this.address = b.address;
        this.threads = b.threads;
        this.queue = b.queue;
        this.headTimeout = b.headTimeout;
        this.routes = new LinkedHashMap<>(b.routes);
    }

    /** A listener on {@code address}, once started. */
    public static Builder builder(ListenAddress address) {
        return new Builder(address);
    }

    /** The address as configured (port 0 stays 0: see {@link #boundAddress()}). */
    public ListenAddress address() {
        return address;
    }

    /**
     * Binds the address and starts serving.
     *
     * @throws IOException with a one-line message naming the address: an unknown host, a port in use, an address
     *                     that is not this machine's
     * @throws IllegalStateException when started before or stopped
     */
    public synchronized void start() throws IOException {
        if (server != null || stopped) {
            throw new IllegalStateException("the listener on " + address + " was started before");
        }
        InetAddress host;
        try {
            host = InetAddress.getByName(address.host());
        } catch (UnknownHostException e) {
            throw new IOException("cannot listen on " + address + ": unknown host " + address.host(), e);
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(host, address.port()), 0);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + address + ": " + reason(e), e);
        } catch (SocketException e) {
            throw new IOException("cannot listen on " + address + ": " + reason(e), e);
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), new NamedThreads("tend-observe-http-"),
                new ThreadPoolExecutor.AbortPolicy());
        HeadDeadline heads = new HeadDeadline(headTimeout);
        s.setExecutor(heads.around(pool));
        routes.forEach((path, handler) -> s.createContext(path, new Route(path, handler, heads)));
        s.start();
        server = s;
        executor = pool;
        deadline = heads;
        LOG.debug("listening on http://{}", ListenAddress.of(s.getAddress()));
    }

    /**
     * Serves {@code path} with {@code handler} from now on (also before {@link #start()}, as {@link Builder#route}).
     *
     * @throws IllegalArgumentException when the path does not start with {@code /} or is served already
     */
    public synchronized ObserveListener route(String path, HttpHandler handler) {
        checkPath(path, routes);
        routes.put(path, handler);
        if (server != null) {
            server.createContext(path, new Route(path, handler, deadline));
        }
        return this;
    }

    /** Whether the listener is serving: started and not stopped. */
    public synchronized boolean running() {
        return server != null && !stopped;
    }

    /**
     * The address bound (with the port chosen when it was 0).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized InetSocketAddress boundAddress() {
        if (server == null) {
            throw new IllegalStateException("the listener on " + address + " is not started");
        }
        return server.getAddress();
    }

    /** Stops serving: open exchanges are cut, the threads end. Idempotent. */
    public void stop() {
        HttpServer s;
        ThreadPoolExecutor pool;
        HeadDeadline heads;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            s = server;
            pool = executor;
            heads = deadline;
        }
        if (s == null) {
            return;
        }
        s.stop(0);
        pool.shutdownNow();
        heads.stop();
        try {
            if (!pool.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("the listener's request threads did not end within {} ms", STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static String reason(SocketException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.toLowerCase(Locale.ROOT);
    }

    private static void checkPath(String path, Map<String, HttpHandler> routes) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with /, not " + path);
        }
        if (routes.containsKey(path)) {
            throw new IllegalArgumentException("the route " + path + " is served already");
        }
    }

    /** How a listener is made; {@link #build()} does not bind. */
    public static final class Builder {
        private final ListenAddress address;
        private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
        private int threads = DEFAULT_THREADS;
        private int queue = DEFAULT_QUEUE;
        private Duration headTimeout = DEFAULT_HEAD_TIMEOUT;

        private Builder(ListenAddress address) {
            if (address == null) {
                throw new IllegalArgumentException("a listener needs an address");
            }
            this.address = address;
        }

        /** The most requests served at once (at least 1). */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a listener needs at least one thread, not " + n);
            }
            threads = n;
            return this;
        }

        /** The most requests waiting for a thread (at least 1); more are refused. */
        public Builder queue(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a listener's queue holds at least one request, not " + n);
            }
            queue = n;
            return this;
        }

        /**
         * The time a connection has to send its request head (request line and headers) once it sent its first
         * byte ({@link #DEFAULT_HEAD_TIMEOUT}); one that takes longer is closed, freeing its request thread.
         */
        public Builder headTimeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a listener's head time-out is positive, not " + d);
            }
            headTimeout = d;
            return this;
        }

        /**
         * Serves {@code path} with {@code handler}: exactly, or as a prefix when it ends with {@code /}.
         *
         * @throws IllegalArgumentException when the path does not start with {@code /} or is served already
         */
        public Builder route(String path, HttpHandler handler) {
            checkPath(path, routes);
            if (handler == null) {
                throw new IllegalArgumentException("the route " + path + " needs a handler");
            }
            routes.put(path, handler);
            return this;
        }

        public ObserveListener build() {
            return new ObserveListener(this);
        }
    }
}
