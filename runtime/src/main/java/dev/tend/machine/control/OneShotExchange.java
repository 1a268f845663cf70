package dev.tend.machine.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One request line and its answer over a connected channel in blocking mode, for {@link ControlClient}'s one-shot
 * requests. Unlike {@link LineChannel} it makes no selector: a process that makes one request and exits would pay
 * for the selector's set-up (the epoll instance, its wake-up descriptor, the selection key's variable handles) on its
 * way to the first byte. The deadline is kept by a daemon thread ({@value #THREAD}) that closes the channel when it
 * passes, which ends a blocked read or write; the exchange ends that thread when it is done.
 */
final class OneShotExchange {
    /** The thread that keeps the deadline. */
    static final String THREAD = "tend-client-deadline";

    private OneShotExchange() {
    }

    /**
     * Writes {@code request} and a line end, then reads the answer's line: without its {@code \n}; at end of input the
     * unterminated rest if any, else {@code null}. Closes the channel in every case.
     *
     * @throws LineChannel.LineTooLongException past {@code maxBytes} without a line end
     * @throws InterruptedByTimeoutException    when {@code timeout} passed first
     */
    static String exchange(SocketChannel channel, String request, int maxBytes, Duration timeout) throws IOException {
        Deadline deadline = new Deadline(channel, timeout);
        Thread keeper = new Thread(deadline, THREAD);
        keeper.setDaemon(true);
        keeper.start();
        try {
            write(channel, request);
            return readLine(channel, maxBytes);
        } catch (IOException e) {
            if (deadline.passed) {
                InterruptedByTimeoutException t = new InterruptedByTimeoutException();
                t.initCause(e);
                throw t;
            }
            throw e;
        } finally {
            keeper.interrupt();
            channel.close();
        }
    }

    private static void write(SocketChannel channel, String request) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static String readLine(SocketChannel channel, int maxBytes) throws IOException {
        ByteBuffer input = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            input.clear();
            int n = channel.read(input);
            if (n < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            input.flip();
            while (input.hasRemaining()) {
                byte b = input.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                if (line.size() >= maxBytes) {
                    throw new LineChannel.LineTooLongException(maxBytes);
                }
                line.write(b);
            }
        }
    }

    /** Closes the channel once the timeout has passed, unless interrupted first. A class rather than a lambda. */
    private static final class Deadline implements Runnable {
        private final SocketChannel channel;
        private final long millis;
        private volatile boolean passed;

        Deadline(SocketChannel channel, Duration timeout) {
            this.channel = channel;
            long m;
            try {
                m = Math.max(1, timeout.toMillis());
            } catch (ArithmeticException e) {
                m = Long.MAX_VALUE; // as good as for ever
            }
            this.millis = m;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return; // the exchange is over
            }
            passed = true;
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a channel being given up on: nothing more to do.
            }
        }
    }
}
