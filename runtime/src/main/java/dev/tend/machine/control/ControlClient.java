package dev.tend.machine.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlException.Code;
import dev.tend.units.Durations;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Talks to an agent's control socket ({@link ControlProtocol}): one connection per request (a one-shot request in
 * blocking mode, {@link OneShotExchange}; an events stream through a {@link LineChannel}). Every failure is a
 * {@link ControlException} with a one-line message; nothing listening is {@link Code#NO_AGENT}, with the message
 * {@code no agent is listening on PATH (is tend agent running?)}.
 */
public final class ControlClient {

    /** The longest response line read: a list of many machines with their watchers' state. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final Path socket;
    private final Duration timeout;

    /** A client that waits at most 30 s for an answer. */
    public ControlClient(Path socket) {
        this(socket, Duration.ofSeconds(30));
    }

    /** @param timeout how long to wait for the agent's answer (an events stream waits for ever between events) */
    public ControlClient(Path socket, Duration timeout) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public Path socket() {
        return socket;
    }

    /** Every loaded machine, sorted by name. */
    public List<MachineStatus> list() throws ControlException {
        return ControlAnswers.machines(call(ControlRequest.list()));
    }

    /** Every loaded machine, sorted by name, and the machine directories whose machine does not load. */
    public MachineListing listing() throws ControlException {
        return ControlAnswers.listing(call(ControlRequest.list()));
    }

    /** The machine named {@code machine}; {@link Code#NOT_FOUND} when it is not loaded. */
    public MachineStatus info(String machine) throws ControlException {
        return ControlAnswers.info(call(ControlRequest.info(machine)));
    }

    /**
     * Applies {@code event} to {@code machine} now.
     *
     * @throws ControlException {@link Code#NOT_FOUND} for an unknown machine, {@link Code#INVALID} when the event is
     *                          not valid in its state (the message names the valid ones)
     */
    public TransitionOutcome transition(String machine, String event) throws ControlException {
        return ControlAnswers.transition(call(ControlRequest.transition(machine, event)), machine, event);
    }

    /**
     * The events of {@code machine} ({@code null}: of every machine) from now on, as CloudEvent JSON lines. Close the
     * stream to end it (from any thread).
     */
    public EventStream events(String machine) throws ControlException {
        String requestLine = ControlRequest.events(machine).toLine();
        LineChannel io = connect();
        try {
            exchange(io, requestLine);
            return new EventStream(io, socket);
        } catch (ControlException | RuntimeException e) {
            io.close();
            throw e;
        }
    }

    /** A live stream of events; {@link #next()} blocks until the next one. */
    public static final class EventStream implements AutoCloseable {
        private final LineChannel io;
        private final Path socket;

        private EventStream(LineChannel io, Path socket) {
            this.io = io;
            this.socket = socket;
        }

        /**
         * The next CloudEvent JSON line, or {@code null} when the stream ended: the agent stopped or {@link #close()}
         * was called.
         *
         * @throws ControlException when the agent ended the stream with an error (e.g. this client fell behind)
         */
        public String next() throws ControlException {
            String line;
            try {
                line = io.readLine(MAX_RESPONSE_BYTES, null);
            } catch (ClosedChannelException e) {
                return null;
            } catch (IOException e) {
                if (io.isClosed()) {
                    return null;
                }
                throw new ControlException(Code.FAILURE, "lost the agent on " + socket + ": " + e.getMessage(), e);
            }
            if (line == null) {
                return null;
            }
            JsonNode n = parse(line);
            if (n.path("ok").isBoolean()) {
                // Only a stream's end carries "ok" (CloudEvents have no such field): an error.
                check(n);
                return null;
            }
            return line;
        }

        /** Ends the stream; a {@link #next()} waiting in another thread returns {@code null}. Idempotent. */
        @Override
        public void close() {
            io.close();
        }
    }

    /** Sends {@code request} on a new connection and returns the answer's line (read by {@link ControlAnswers}). */
    private String call(ControlRequest request) throws ControlException {
        String requestLine = request.toLine(); // before connecting: see ClientStartup
        SocketChannel channel = open();
        String line;
        try {
            line = OneShotExchange.exchange(channel, requestLine, MAX_RESPONSE_BYTES, timeout);
        } catch (IOException e) {
            throw failed(e);
        }
        return present(line);
    }

    private JsonNode exchange(LineChannel io, String requestLine) throws ControlException {
        String line;
        try {
            io.writeLine(requestLine, timeout);
            line = io.readLine(MAX_RESPONSE_BYTES, timeout);
        } catch (IOException e) {
            throw failed(e);
        }
        return answer(line);
    }

    /** A failed exchange as the operator reads it. */
    private ControlException failed(IOException e) {
        if (e instanceof InterruptedByTimeoutException) {
            return new ControlException(Code.FAILURE, "the agent on " + socket + " did not answer within "
                    + Durations.format(timeout), e);
        }
        return new ControlException(Code.FAILURE, "lost the agent on " + socket + ": "
                + ControlSocketFile.reason(e), e);
    }

    /** The checked response in {@code line}, the answer's line ({@code null}: none came). */
    private JsonNode answer(String line) throws ControlException {
        return check(parse(present(line)));
    }

    /** {@code line}, the answer's line, when one came. */
    private String present(String line) throws ControlException {
        if (line == null) {
            throw new ControlException(Code.FAILURE, "the agent on " + socket + " closed the connection without an"
                    + " answer");
        }
        return line;
    }

    private LineChannel connect() throws ControlException {
        SocketChannel channel = open();
        try {
            return new LineChannel(channel);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Failing anyway.
            }
            throw new ControlException(Code.FAILURE, "cannot talk to the agent on " + socket + ": "
                    + ControlSocketFile.reason(e), e);
        }
    }

    /** A channel connected to the socket, in blocking mode. */
    private SocketChannel open() throws ControlException {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            throw noAgent(e);
        } catch (SocketException e) {
            if (!Files.exists(socket)) {
                throw noAgent(e);
            }
            throw new ControlException(Code.FAILURE, "cannot connect to the agent on " + socket + ": "
                    + ControlSocketFile.reason(e), e);
        } catch (IOException | RuntimeException e) {
            throw new ControlException(Code.FAILURE, "cannot connect to the agent on " + socket + ": "
                    + ControlSocketFile.reason(e), e);
        }
    }

    private ControlException noAgent(Exception cause) {
        return new ControlException(Code.NO_AGENT, "no agent is listening on " + socket
                + " (is tend agent running?)", cause);
    }

    static JsonNode parse(String line) throws ControlException {
        try {
            JsonNode n = JsonLines.read(line);
            if (n == null || !n.isObject()) {
                throw ControlProtocol.malformed("not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ControlProtocol.malformed(e.getOriginalMessage());
        }
    }

    /** The response if it says ok; its error as an exception otherwise; a newer agent's protocol is refused. */
    static JsonNode check(JsonNode n) throws ControlException {
        int v = n.path("v").asInt(0);
        if (v > ControlProtocol.VERSION) {
            throw new ControlException(Code.FAILURE, "the agent speaks control protocol version " + v + ", this tend"
                    + " version " + ControlProtocol.VERSION + ": use the same version of tend as the agent");
        }
        if (!n.path("ok").isBoolean()) {
            throw ControlProtocol.malformed("no \"ok\"");
        }
        if (!n.path("ok").asBoolean()) {
            throw new ControlException(Code.fromWire(n.path("code").asText(null)),
                    ControlProtocol.oneLine(n.path("error").asText("the agent gave no reason")));
        }
        return n;
    }
}
