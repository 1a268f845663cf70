package dev.tend.machine.control;

import dev.tend.machine.control.ControlException.Code;
import dev.tend.machine.event.CloudEventsJson;
import dev.tend.machine.event.MachineEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves an {@code events} request: subscribes to the machines' events and writes each as a CloudEvent line until the
 * client disconnects or the server closes. Publishers only offer to a bounded queue per client and wake its thread, so
 * a slow client never slows a machine; a client whose queue overflows gets a final error line and is dropped.
 */
final class EventStreamer {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamer.class);

    /** How often an idle stream checks on its own that the client is still there (wakeups make this rarely matter). */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(30);

    private final RunningMachines machines;
    private final ControlSettings settings;

    EventStreamer(RunningMachines machines, ControlSettings settings) {
        this.machines = machines;
        this.settings = settings;
    }

    /** Streams events of machine {@code machine} (every machine when {@code null}) to {@code io}; returns at the end. */
    void stream(LineChannel io, String machine) throws IOException {
        if (machine != null && machines.machine(machine).isEmpty()) {
            io.writeLine(ControlProtocol.line(ControlProtocol.error(Code.NOT_FOUND,
                    "unknown machine \"" + machine + "\"")), settings.writeTimeout());
            return;
        }
        BlockingQueue<MachineEvent> queue = new ArrayBlockingQueue<>(settings.eventQueueCapacity());
        AtomicBoolean overflowed = new AtomicBoolean();
        AutoCloseable subscription = machines.subscribe(event -> {
            if (machine == null || machine.equals(event.machine())) {
                // Wake the writer for each event queued and once at overflow; never more (the writer may be stuck).
                if (queue.offer(event) || overflowed.compareAndSet(false, true)) {
                    io.wakeup();
                }
            }
        });
        try {
            io.writeLine(ControlProtocol.line(ControlProtocol.ok()), settings.writeTimeout());
            while (!io.isClosed()) {
                MachineEvent event;
                while (!overflowed.get() && (event = queue.poll()) != null) {
                    String line;
                    try {
                        line = CloudEventsJson.encodeToString(event);
                    } catch (RuntimeException e) {
                        LOG.warn("control socket: cannot encode event {}: {}", event, e.toString());
                        continue;
                    }
                    io.writeLine(line, settings.writeTimeout());
                }
                if (overflowed.get()) {
                    LOG.warn("control socket: dropping an events client that fell more than {} events behind",
                            settings.eventQueueCapacity());
                    io.writeLine(ControlProtocol.line(ControlProtocol.error(Code.FAILURE, "dropped: this client fell"
                            + " more than " + settings.eventQueueCapacity() + " events behind")),
                            settings.writeTimeout());
                    return;
                }
                if (io.awaitPeerClosed(IDLE_CHECK)) {
                    return;
                }
            }
        } finally {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.warn("control socket: cannot end an events subscription: {}", e.toString());
            }
        }
    }
}
