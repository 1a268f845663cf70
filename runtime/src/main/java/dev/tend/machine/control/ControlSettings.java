package dev.tend.machine.control;

import java.time.Duration;

/**
 * The control server's limits.
 *
 * @param requestTimeout     how long a client may take to send its request line
 * @param writeTimeout       how long one response line may wait for a client that does not read before it is dropped
 * @param eventQueueCapacity events queued per {@code events} client; one more and the client is dropped
 * @param maxConnections     clients served at once; more are answered with an error
 */
record ControlSettings(Duration requestTimeout, Duration writeTimeout, int eventQueueCapacity, int maxConnections) {

    static final ControlSettings DEFAULTS = new ControlSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 4096,
            256);
}
