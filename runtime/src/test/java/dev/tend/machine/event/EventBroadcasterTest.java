package dev.tend.machine.event;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventBroadcasterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static TransitionEvent event(int n) {
        return new TransitionEvent("node1", "web", "i", "1", Instant.EPOCH, "t-" + n, "a", "b");
    }

    /** Waits for something asynchronous, generously: the machines running tests are shared and noisy. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A subscriber that records what it gets and on which thread. */
    private static final class Recorder implements EventSink {
        final List<MachineEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Thread> thread = new AtomicReference<>();

        @Override
        public void publish(MachineEvent event) {
            thread.set(Thread.currentThread());
            events.add(event);
        }
    }

    @Test
    void everySubscriberGetsEveryEventInOrderOnItsOwnNamedThread() throws Exception {
        try (EventBroadcaster broadcaster = new EventBroadcaster()) {
            Recorder a = new Recorder();
            Recorder b = new Recorder();
            broadcaster.subscribe(a);
            broadcaster.subscribe(b);

            for (int i = 0; i < 100; i++) {
                broadcaster.publish(event(i));
            }

            await("both subscribers", () -> a.events.size() == 100 && b.events.size() == 100);
            List<MachineEvent> expected = java.util.stream.IntStream.range(0, 100).mapToObj(i -> (MachineEvent) event(i)).toList();
            assertThat(a.events).containsExactlyElementsOf(expected);
            assertThat(b.events).containsExactlyElementsOf(expected);
            assertThat(a.thread.get().getName()).startsWith("tend-events-");
            assertThat(b.thread.get().getName()).startsWith("tend-events-").isNotEqualTo(a.thread.get().getName());
            assertThat(a.thread.get().isDaemon()).isTrue();
        }
    }

    @Test
    void aSlowSubscriberIsToldAndDroppedWithoutHoldingUpPublishersOrOthers() throws Exception {
        try (EventBroadcaster broadcaster = new EventBroadcaster(4)) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger slowGot = new AtomicInteger();
            AtomicReference<Thread> slowThread = new AtomicReference<>();
            AtomicInteger overflows = new AtomicInteger();
            broadcaster.subscribe(event -> {
                slowThread.set(Thread.currentThread());
                slowGot.incrementAndGet();
                try {
                    release.await(); // stuck, like a client that stopped reading
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, overflows::incrementAndGet);
            Recorder fast = new Recorder();
            broadcaster.subscribe(fast);

            // Published on this thread: had the slow subscriber's full queue blocked it, the test would hang here.
            // Each event waits for the fast subscriber, which must keep up however stuck the slow one is.
            for (int i = 0; i < 50; i++) {
                broadcaster.publish(event(i));
                int delivered = i + 1;
                await("the fast subscriber", () -> fast.events.size() == delivered);
            }

            assertThat(overflows).hasValue(1);
            assertThat(broadcaster.subscriberCount()).isEqualTo(1);
            release.countDown();
            await("the slow subscriber's thread to end", () -> slowThread.get() != null && !slowThread.get().isAlive());
            assertThat(slowGot.get()).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void closingASubscriptionStopsItsThreadAndItsDeliveries() throws Exception {
        try (EventBroadcaster broadcaster = new EventBroadcaster()) {
            Recorder recorder = new Recorder();
            AutoCloseable subscription = broadcaster.subscribe(recorder);
            broadcaster.publish(event(1));
            await("the first event", () -> recorder.events.size() == 1);

            subscription.close();
            subscription.close(); // idempotent

            assertThat(recorder.thread.get().isAlive()).isFalse(); // close waits for the thread
            broadcaster.publish(event(2));
            assertThat(broadcaster.subscriberCount()).isZero();
            assertThat(recorder.events).containsExactly(event(1));
        }
    }

    @Test
    void aSubscriberMayCloseItselfWhileReceiving() throws Exception {
        try (EventBroadcaster broadcaster = new EventBroadcaster()) {
            AtomicReference<AutoCloseable> self = new AtomicReference<>();
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger got = new AtomicInteger();
            CountDownLatch subscribed = new CountDownLatch(1);
            self.set(broadcaster.subscribe(event -> {
                thread.set(Thread.currentThread());
                got.incrementAndGet();
                try {
                    subscribed.await(20, TimeUnit.SECONDS);
                    self.get().close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            subscribed.countDown();
            broadcaster.publish(event(1));

            await("the subscriber to stop", () -> thread.get() != null && !thread.get().isAlive());
            broadcaster.publish(event(2));
            assertThat(got).hasValue(1);
        }
    }

    @Test
    void aFailingSubscriberKeepsReceiving() throws Exception {
        try (EventBroadcaster broadcaster = new EventBroadcaster()) {
            AtomicInteger calls = new AtomicInteger();
            broadcaster.subscribe(event -> {
                calls.incrementAndGet();
                throw new IllegalStateException("boom");
            });
            for (int i = 0; i < 10; i++) {
                broadcaster.publish(event(i));
            }
            await("every event", () -> calls.get() == 10);
        }
    }

    @Test
    void closingTheBroadcasterStopsEveryThread() throws Exception {
        EventBroadcaster broadcaster = new EventBroadcaster();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        broadcaster.subscribe(a);
        broadcaster.subscribe(b);
        broadcaster.publish(event(1));
        await("delivery", () -> a.events.size() == 1 && b.events.size() == 1);

        broadcaster.close();

        assertThat(a.thread.get().isAlive()).isFalse();
        assertThat(b.thread.get().isAlive()).isFalse();
        assertThat(broadcaster.subscriberCount()).isZero();
        broadcaster.publish(event(2)); // goes nowhere, quietly
        assertThatThrownBy(() -> broadcaster.subscribe(new Recorder()))
                .isInstanceOf(IllegalStateException.class).hasMessage("the event broadcaster is closed");
    }

    @Test
    void refusesANonPositiveQueue() {
        assertThatThrownBy(() -> new EventBroadcaster(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
