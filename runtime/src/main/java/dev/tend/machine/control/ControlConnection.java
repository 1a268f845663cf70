package dev.tend.machine.control;

import dev.tend.machine.control.ControlException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;

/** One client of the control socket: reads its request line, answers it, and closes the connection. */
final class ControlConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlConnection.class);

    private final LineChannel io;
    private final RequestHandler handler;
    private final EventStreamer streamer;
    private final ControlSettings settings;
    private final boolean overLimit;
    private volatile Thread thread;

    /** @param overLimit the server already serves as many clients as it may: answer with an error */
    ControlConnection(LineChannel io, RequestHandler handler, EventStreamer streamer, ControlSettings settings,
                      boolean overLimit) {
        this.io = io;
        this.handler = handler;
        this.streamer = streamer;
        this.settings = settings;
        this.overLimit = overLimit;
    }

    void thread(Thread t) {
        thread = t;
    }

    Thread thread() {
        return thread;
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (ClosedChannelException e) {
            LOG.debug("control client closed");
        } catch (InterruptedByTimeoutException e) {
            LOG.debug("control client dropped: it did not send or read in time");
        } catch (IOException e) {
            LOG.debug("control client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("control client failed", e);
        } finally {
            io.close();
        }
    }

    private void serve() throws IOException {
        String line;
        try {
            line = io.readLine(ControlProtocol.MAX_REQUEST_BYTES, settings.requestTimeout());
        } catch (LineChannel.LineTooLongException e) {
            reply(ControlProtocol.line(ControlProtocol.error(Code.INVALID, "request line longer than "
                    + ControlProtocol.MAX_REQUEST_BYTES + " bytes")));
            return;
        }
        if (line == null) {
            return; // connected and left: e.g. an agent checking whether the socket is live
        }
        if (overLimit) {
            reply(ControlProtocol.line(ControlProtocol.error(Code.FAILURE, "the agent serves "
                    + settings.maxConnections() + " control clients already; try again later")));
            return;
        }
        ControlRequest request;
        try {
            request = ControlRequest.parse(line);
        } catch (ControlException e) {
            reply(ControlProtocol.line(ControlProtocol.error(e.code(), e.getMessage())));
            return;
        }
        LOG.debug("control request {}", request);
        if (request.op().equals(ControlProtocol.OP_EVENTS)) {
            streamer.stream(io, request.machine());
        } else {
            reply(ControlProtocol.line(handler.handle(request)));
        }
    }

    private void reply(String line) throws IOException {
        io.writeLine(line, settings.writeTimeout());
    }

    /** Disconnects the client; its thread ends soon after. */
    void close() {
        io.close();
    }
}
