package dev.tend.cli.fleet;

import dev.tend.kv.nats.NatsServer;
import dev.tend.machine.event.CloudEventsJson;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.NatsEventSubjects;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class FleetStatusTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedStoreHasNoFleetEvents() {
        FleetCli.Result r = new FleetCli(dir).fleet("status");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("tend: fleet status reads the machine events agents publish on NATS; "
                + "with the embedded store (" + dir.resolve("kv") + ") there are none: run tend machine list on each "
                + "node, or use --store nats://...");
    }

    @Test
    void tabulatesWhatTheNodesReportDuringTheWait() throws Exception {
        try (NatsServer nats = NatsServer.start(); Connection publisher = Nats.connect(nats.url())) {
            Instant t = Instant.parse("2026-12-07T11:00:00Z");
            List<MachineEvent> events = List.of(
                    new TransitionEvent("web1", "hello", "i1", "1.2.0", t, "tick", "IDLE", "BUSY"),
                    new WatcherStateEvent("web1", "mm_hello", "i2", "1.0.0", t, "archive", "download",
                            Map.of("previous_outcome", "verified", "source", "kv://CHORIA_PLUGINS/hello-1.2.0.tar.gz")),
                    new WatcherStateEvent("web2", "mm_hello", "i3", "1.0.0", t, "archive", "download",
                            Map.of("previous_outcome", "error")),
                    new TransitionEvent("web2", "unmanaged", "i4", "9.9.9", t, "go", "A", "B"));
            NatsEventSubjects subjects = NatsEventSubjects.defaults();
            AtomicBoolean done = new AtomicBoolean();
            // The command subscribes once its JVM-internal connection is up: publish until it has listened.
            Thread sender = new Thread(() -> {
                while (!done.get()) {
                    for (MachineEvent e : events) {
                        publisher.publish(subjects.subject(e), CloudEventsJson.encode(e));
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "test-events");
            sender.start();
            FleetCli.Result r;
            try {
                r = new FleetCli(dir).fleet("status", "--store", nats.url(), "--wait", "1s");
            } finally {
                done.set(true);
                sender.join();
            }
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains(
                    "| web1 | hello   | 1.2.0   | BUSY  | verified |",
                    "| web2 | hello   | -       | -     | error    |")
                    .doesNotContain("unmanaged");

            r = new FleetCli(dir).fleet("status", "--store", nats.url(), "--wait", "200ms", "--events-prefix",
                    "quiet.events");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("No events of managed machines on quiet.events.> in 200ms");
        }
    }
}
