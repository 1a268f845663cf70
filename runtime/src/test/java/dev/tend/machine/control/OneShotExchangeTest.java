package dev.tend.machine.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OneShotExchange} reads an answer as {@link LineChannel} does (a line, an unterminated rest, nothing, too
 * long), gives up at its deadline, and leaves no thread behind.
 */
@Timeout(60)
class OneShotExchangeTest {

    @TempDir
    Path tmp;

    @Test
    void answersAreReadAsLines() throws Exception {
        assertThat(exchangeWith("{\"ok\":true}\nmore\n", Duration.ofSeconds(30))).isEqualTo("{\"ok\":true}");
        assertThat(exchangeWith("no line end", Duration.ofSeconds(30))).isEqualTo("no line end");
        assertThat(exchangeWith("", Duration.ofSeconds(30))).isNull();
        assertThat(exchangeWith("é\n", Duration.ofSeconds(30))).isEqualTo("é");
        awaitNoDeadlineThread();
    }

    @Test
    void aLongAnswerIsRefused() throws Exception {
        assertThatThrownBy(() -> exchangeWith("x".repeat(100) + "\n", Duration.ofSeconds(30), 10))
                .isInstanceOf(LineChannel.LineTooLongException.class)
                .hasMessage("a line longer than 10 bytes");
        awaitNoDeadlineThread();
    }

    @Test
    void aSilentPeerCostsTheTimeout() throws Exception {
        Path socket = tmp.resolve("mute.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(socket)); // accepts (backlog) and never answers
            SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> OneShotExchange.exchange(c, "{}", 1024, Duration.ofMillis(100)))
                    .isInstanceOf(InterruptedByTimeoutException.class);
            assertThat(c.isOpen()).isFalse();
        }
        awaitNoDeadlineThread();
    }

    private String exchangeWith(String answer, Duration timeout) throws Exception {
        return exchangeWith(answer, timeout, 1024);
    }

    /** The exchange with a peer that reads the request line, checks it, writes {@code answer} and hangs up. */
    private String exchangeWith(String answer, Duration timeout, int maxBytes) throws Exception {
        Path socket = tmp.resolve("peer-" + System.nanoTime() + ".sock");
        BlockingQueue<String> requests = new ArrayBlockingQueue<>(1);
        try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            peer.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(() -> {
                try (SocketChannel c = peer.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(1024);
                    while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
                        if (c.read(in) < 0) {
                            break;
                        }
                    }
                    requests.add(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
                    c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    requests.add("failed: " + e);
                }
            }, "test-peer");
            t.start();
            SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            try {
                return OneShotExchange.exchange(c, "{\"v\":1,\"op\":\"list\"}", maxBytes, timeout);
            } finally {
                assertThat(c.isOpen()).isFalse();
                assertThat(requests.take()).isEqualTo("{\"v\":1,\"op\":\"list\"}\n");
                t.join();
            }
        }
    }

    /** The deadline's thread ends once its exchange is over (interrupted, so promptly: wait for it). */
    private static void awaitNoDeadlineThread() throws InterruptedException {
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(OneShotExchange.THREAD) && t.isAlive())) {
            Thread.sleep(5);
        }
    }
}
