package dev.tend.machine.control;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Lines of UTF-8 text over a connected socket, with deadlines: the channel is non-blocking and every wait goes
 * through its own selector, so that a silent or stuck peer costs a timeout, never a thread forever, and another thread
 * can end any wait with {@link #close()} or {@link #wakeup()}. Reads and writes belong to one thread at a time.
 */
final class LineChannel implements Closeable {

    /** A line longer than the reader's limit; the rest of the input is left unread. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int limit) {
            super("a line longer than " + limit + " bytes");
        }
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer input = ByteBuffer.allocate(8192).flip();
    private volatile boolean closed;

    LineChannel(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        try {
            this.key = channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /**
     * The next line without its {@code \n}; at end of input the unterminated rest if any, else {@code null}.
     *
     * @param maxBytes the longest line accepted
     * @param timeout  how long to wait in all; {@code null} for ever
     * @throws LineTooLongException          past {@code maxBytes} without a line end
     * @throws InterruptedByTimeoutException when the timeout passed first
     * @throws ClosedChannelException        when {@link #close()} was called
     */
    String readLine(int maxBytes, Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (input.hasRemaining()) {
                byte b = input.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                if (line.size() >= maxBytes) {
                    throw new LineTooLongException(maxBytes);
                }
                line.write(b);
            }
            input.clear();
            int n;
            try {
                n = channel.read(input);
            } finally {
                input.flip();
            }
            if (n < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
            }
        }
    }

    /** Writes {@code text} and a line end, waiting at most {@code timeout} in all for a slow reader. */
    void writeLine(String text, Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    /**
     * Waits until the peer sent something or hung up, {@link #wakeup()} was called, or {@code timeout} passed; then
     * tells whether the peer has hung up (anything it sent meanwhile is discarded: it has nothing more to say).
     */
    boolean awaitPeerClosed(Duration timeout) throws IOException {
        try {
            key.interestOps(SelectionKey.OP_READ);
            selector.select(Math.max(1, timeout.toMillis()));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw new ClosedChannelException();
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        input.clear();
        try {
            int n;
            while ((n = channel.read(input)) > 0) {
                input.clear();
            }
            return n < 0;
        } finally {
            input.clear().flip();
        }
    }

    /** Ends the current or next wait early (from any thread). */
    void wakeup() {
        selector.wakeup();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the connection; a wait in another thread ends with {@link ClosedChannelException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do about a failed close of a socket being dropped.
        }
        try {
            selector.close();
        } catch (IOException e) {
            // As above.
        }
    }

    private void await(int op, long deadline) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new InterruptedByTimeoutException();
        }
        try {
            key.interestOps(op);
            selector.select(deadline == Long.MAX_VALUE ? 0 : Math.max(1, remaining / 1_000_000));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw new ClosedChannelException();
        }
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** A {@link System#nanoTime()} deadline, {@link Long#MAX_VALUE} meaning none. */
    private static long deadline(Duration timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long deadline = now + timeout.toNanos();
        return deadline < now ? Long.MAX_VALUE : deadline; // overflowed: as good as for ever
    }
}
