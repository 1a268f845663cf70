package dev.tend.machine.event;

import java.time.Instant;

/** Something a machine did, published to every sink as a CloudEvent. */
public sealed interface MachineEvent permits TransitionEvent, WatcherStateEvent {

    /** The node identity; the CloudEvent's {@code subject}. */
    String identity();

    String machine();

    /** The machine's instance id (a UUID per load). */
    String instanceId();

    /** The machine's version. */
    String version();

    Instant time();

    /** The CloudEvent {@code type}. */
    String type();
}
