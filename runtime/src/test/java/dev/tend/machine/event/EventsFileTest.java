package dev.tend.machine.event;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventsFileTest {

    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path tmp;

    private static TransitionEvent event(String machine, int n) {
        return new TransitionEvent("node1", machine, "instance", "1.0.0", AT.plusSeconds(n), "t-" + n, "a", "b");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** Every event in the file and its rotated predecessors, oldest first. */
    private static List<TransitionEvent> all(Path file, int keep) throws IOException {
        List<TransitionEvent> events = new ArrayList<>();
        for (int i = keep; i >= 0; i--) {
            Path p = i == 0 ? file : file.resolveSibling(file.getFileName() + "." + i);
            for (String line : lines(p)) {
                events.add((TransitionEvent) CloudEventsJson.decode(line));
            }
        }
        return events;
    }

    @Test
    void appendsOneCloudEventPerLineOwnerOnly() throws IOException {
        Path stateDir = tmp.resolve("state/tend");
        try (EventsFile file = EventsFile.in(stateDir)) {
            for (int i = 0; i < 3; i++) {
                file.publish(event("web", i));
            }

            // Flushed per event: readable while the file is still open.
            List<String> lines = lines(stateDir.resolve("events.jsonl"));
            assertThat(lines).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(CloudEventsJson.decode(lines.get(i))).isEqualTo(event("web", i));
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("events.jsonl"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("state")))).isEqualTo("rwx------");
    }

    @Test
    void appendsToAnExistingFile() throws IOException {
        Path path = tmp.resolve("events.jsonl");
        try (EventsFile file = new EventsFile(path, 1 << 20, 3)) {
            file.publish(event("web", 1));
        }
        try (EventsFile file = new EventsFile(path, 1 << 20, 3)) {
            file.publish(event("web", 2));
        }
        assertThat(all(path, 0)).containsExactly(event("web", 1), event("web", 2));
    }

    @Test
    void rotatesBySizeKeepingThree() throws IOException {
        Path path = tmp.resolve("events.jsonl");
        int lineLength = CloudEventsJson.encode(event("web", 10)).length + 1;
        long max = 5L * lineLength;
        try (EventsFile file = new EventsFile(path, max, 3)) {
            for (int i = 10; i < 70; i++) {
                file.publish(event("web", i));
            }
        }

        for (int i = 0; i <= 3; i++) {
            Path p = i == 0 ? path : tmp.resolve("events.jsonl." + i);
            assertThat(Files.size(p)).as(p.toString()).isPositive().isLessThanOrEqualTo(max);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
        assertThat(tmp.resolve("events.jsonl.4")).doesNotExist();
        List<TransitionEvent> kept = all(path, 3);
        assertThat(kept).hasSize(20); // 4 files of 5 lines: the newest 20
        for (int i = 0; i < kept.size(); i++) {
            assertThat(kept.get(i)).isEqualTo(event("web", 50 + i));
        }
    }

    @Test
    void anExistingFileNearItsLimitIsRotatedFirst() throws IOException {
        Path path = tmp.resolve("events.jsonl");
        Files.writeString(path, "x".repeat(990) + "\n");
        try (EventsFile file = new EventsFile(path, 1000, 3)) {
            file.publish(event("web", 1));
        }
        assertThat(tmp.resolve("events.jsonl.1")).hasContent("x".repeat(990));
        assertThat(all(path, 0)).containsExactly(event("web", 1));
    }

    @Test
    void aLineLongerThanTheLimitIsStillWritten() throws IOException {
        Path path = tmp.resolve("events.jsonl");
        try (EventsFile file = new EventsFile(path, 10, 1)) {
            file.publish(event("web", 1));
            file.publish(event("web", 2));
        }
        assertThat(all(path, 0)).containsExactly(event("web", 2));
        assertThat(all(path, 1)).containsExactly(event("web", 1), event("web", 2));
    }

    @Test
    void keepingNoneTruncatesInstead() throws IOException {
        Path path = tmp.resolve("events.jsonl");
        try (EventsFile file = new EventsFile(path, 10, 0)) {
            file.publish(event("web", 1));
            file.publish(event("web", 2));
        }
        assertThat(all(path, 3)).containsExactly(event("web", 2));
    }

    @Test
    void concurrentPublishersWriteWholeLinesAndLoseNothing() throws Exception {
        Path path = tmp.resolve("events.jsonl");
        int threads = 8;
        int each = 150;
        long max = 40_000; // several rotations, none of them dropping a file
        try (EventsFile file = new EventsFile(path, max, 100)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    String machine = "m" + t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            file.publish(event(machine, i));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(20, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        assertThat(tmp.resolve("events.jsonl.2")).exists();
        List<TransitionEvent> events = all(path, 100); // every line decodes: none torn or interleaved
        assertThat(events).hasSize(threads * each);
        assertThat(new HashSet<>(events)).hasSize(threads * each);
        for (int t = 0; t < threads; t++) {
            String machine = "m" + t;
            List<String> order = events.stream().filter(e -> e.machine().equals(machine))
                    .map(TransitionEvent::transition).toList();
            assertThat(order).as(machine).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, each).mapToObj(i -> "t-" + i).toList());
        }
    }

    @Test
    void anUnwritableFileDropsEventsWarningOnceAndRecovers() throws IOException {
        Path blocker = tmp.resolve("state");
        Files.writeString(blocker, "a file where the state directory should be");
        Path path = blocker.resolve("events.jsonl");
        List<ILoggingEvent> logged;
        try (EventsFile file = new EventsFile(path, 1 << 20, 3); Capture log = new Capture()) {
            file.publish(event("web", 1));
            file.publish(event("web", 2));
            file.publish(event("web", 3));

            Files.delete(blocker);
            file.publish(event("web", 4));
            logged = log.events();
        }

        assertThat(logged).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("cannot open events file " + path + ": ")
                .endsWith("; events are dropped until this works (logged once)");
        assertThat(logged).filteredOn(e -> e.getLevel() == Level.INFO)
                .extracting(ILoggingEvent::getFormattedMessage).containsExactly("writing events to " + path + " again");
        assertThat(all(path, 0)).containsExactly(event("web", 4));
    }

    @Test
    void eventsAfterCloseAreDroppedQuietly() throws IOException {
        Path path = tmp.resolve("events.jsonl");
        EventsFile file = new EventsFile(path, 1 << 20, 3);
        file.publish(event("web", 1));
        file.close();
        file.publish(event("web", 2));
        file.close();

        assertThat(all(path, 0)).containsExactly(event("web", 1));
    }

    @Test
    void watcherEventsWithOddFieldsAreWrittenToo() throws IOException {
        Path path = tmp.resolve("events.jsonl");
        try (EventsFile file = new EventsFile(path, 1 << 20, 3)) {
            file.publish(new WatcherStateEvent("node1", "web", "i", "1", AT, "file", "f",
                    Map.of("path", Path.of("/etc/motd"), "at", AT)));
        }
        assertThat(lines(path)).singleElement().asString().contains("\"path\":\"/etc/motd\"").contains("\"at\":\"2024-05-01T10:00:00Z\"");
    }

    @Test
    void refusesNonsenseLimits() {
        assertThatThrownBy(() -> new EventsFile(tmp.resolve("e"), 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventsFile(tmp.resolve("e"), 10, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** What {@link EventsFile} logs. */
    private static final class Capture implements AutoCloseable {
        private final Logger logger = LogCapture.logbackLogger(EventsFile.class.getName());
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        Capture() {
            appender.start();
            logger.addAppender(appender);
        }

        List<ILoggingEvent> events() {
            return List.copyOf(appender.list);
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
