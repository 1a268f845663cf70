package dev.tend.observe.page;

import dev.tend.machine.event.TransitionEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EventClientsTest {
    private static final TransitionEvent OPEN = new TransitionEvent("node", "door", "id", "1.0.0",
            Instant.parse("2030-01-01T00:00:00Z"), "open", "closed", "opened");

    @Test
    void aClientThatFallsBehindIsDroppedWithoutSlowingThePublisher() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        // a browser that stopped reading: the first write blocks until the stream is closed
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writing.countDown();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("closed");
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
        try (EventClients clients = new EventClients(Duration.ofHours(1))) {
            assertThat(clients.open(stuck, ended::countDown)).isTrue();
            assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i <= EventClients.QUEUE; i++) {
                clients.publish(OPEN); // never blocks
            }
            // its thread is still in that write; it leaves when the connection ends (here: the stream closed)
            closed.countDown();
            assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(clients.size()).isZero();
        }
    }

    @Test
    void eventsReachEveryStreamInOrder() throws Exception {
        CountDownLatch ended = new CountDownLatch(2);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        EventClients clients = new EventClients(Duration.ofHours(1));
        assertThat(clients.open(a, ended::countDown)).isTrue();
        assertThat(clients.open(b, ended::countDown)).isTrue();
        clients.publish(OPEN);
        // closing drops what is still queued: wait until both wrote the event
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(a.toString(StandardCharsets.UTF_8).contains("event:") && b.toString(StandardCharsets.UTF_8)
                .contains("event:")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        clients.close();
        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        String expected = SseFormat.RETRY + "event: transition\ndata: {\"machine\":\"door\",\"transition\":\"open\","
                + "\"from_state\":\"closed\",\"to_state\":\"opened\",\"time\":\"2030-01-01T00:00:00Z\"}\n\n";
        assertThat(a.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void streamsBeyondTheLimitAreRefused() {
        EventClients clients = new EventClients(Duration.ofHours(1));
        List<ByteArrayOutputStream> outs = Stream.generate(ByteArrayOutputStream::new)
                .limit(EventClients.MAX_CLIENTS).toList();
        outs.forEach(o -> assertThat(clients.open(o, () -> { })).isTrue());
        assertThat(clients.canOpen()).isFalse();
        assertThat(clients.open(new ByteArrayOutputStream(), () -> { })).isFalse();
        clients.close();
        assertThat(clients.size()).isZero();
        assertThat(clients.open(new ByteArrayOutputStream(), () -> { })).isFalse();
    }
}
