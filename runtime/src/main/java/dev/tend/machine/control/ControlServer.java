package dev.tend.machine.control;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's control socket: a Unix domain socket, owner-only, that serves {@code tend machine list|info|transition|
 * events} from a {@link RunningMachines} (protocol: {@link ControlProtocol}). One thread accepts
 * ({@code tend-control-accept}); each client is served on a thread of its own ({@code tend-control-client-N}). A bad
 * request gets an error response and never harms the server. Both kinds of thread are daemons: the server serves
 * its process and must never be what keeps it alive; {@link #close()} ends them.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final ServerSocketChannel server;
    private final ControlSocketFile file;
    private final RequestHandler handler;
    private final EventStreamer streamer;
    private final ControlSettings settings;
    private final Set<ControlConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clientCounter = new AtomicInteger();
    private final Thread acceptor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ControlServer(ServerSocketChannel server, ControlSocketFile file, RunningMachines machines,
                          ControlSettings settings) {
        this.server = server;
        this.file = file;
        this.settings = settings;
        this.handler = new RequestHandler(machines);
        this.streamer = new EventStreamer(machines, settings);
        this.acceptor = new Thread(this::acceptLoop, "tend-control-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket} (its directory created 0700 if missing, the socket 0600), replacing a stale socket
     * file that nobody answers on.
     *
     * @throws IOException with a one-line message: another agent is already listening there, the path is not a socket,
     *                     the directory cannot be made, ...
     */
    public static ControlServer start(Path socket, RunningMachines machines) throws IOException {
        return start(socket, machines, ControlSettings.DEFAULTS);
    }

    static ControlServer start(Path socket, RunningMachines machines, ControlSettings settings) throws IOException {
        Path path = socket.toAbsolutePath().normalize();
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ControlSocketFile file;
        try {
            file = ControlSocketFile.bind(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        ControlServer s = new ControlServer(channel, file, machines, settings);
        s.acceptor.start();
        LOG.info("control socket listening on {}", path);
        return s;
    }

    /** The socket's path, absolute. */
    public Path socket() {
        return file.path();
    }

    /** Whether it still accepts clients: not closed, its accepting thread alive (for health checks). */
    public boolean serving() {
        return !closed.get() && acceptor.isAlive();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return; // close()
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                // E.g. out of file descriptors: say so and keep serving the clients already here.
                LOG.warn("control socket {}: cannot accept a client: {}", file.path(), e.getMessage());
                pause();
                continue;
            }
            serve(client);
        }
    }

    private void serve(SocketChannel client) {
        ControlConnection connection;
        try {
            connection = new ControlConnection(new LineChannel(client), handler, streamer, settings,
                    connections.size() >= settings.maxConnections());
        } catch (IOException e) {
            LOG.debug("control socket: cannot set up a client: {}", e.toString());
            closeQuietly(client);
            return;
        }
        connections.add(connection);
        Thread t = new Thread(() -> {
            try {
                connection.run();
            } finally {
                connections.remove(connection);
            }
        }, "tend-control-client-" + clientCounter.incrementAndGet());
        t.setDaemon(true);
        connection.thread(t);
        t.start();
    }

    /** Stops accepting, disconnects every client (ending event streams), waits for their threads, removes the socket. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("control socket: closing the listener: {}", e.toString());
        }
        join(acceptor); // no new clients after this
        List<ControlConnection> open = new ArrayList<>(connections);
        open.forEach(ControlConnection::close);
        open.forEach(c -> join(c.thread()));
        file.remove();
        LOG.info("control socket {} closed", file.path());
    }

    private static void join(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                LOG.warn("control socket: thread {} did not stop", t.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A short pause after a failed accept, so a persistent error does not spin. */
    private void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // Dropping it anyway.
        }
    }
}
