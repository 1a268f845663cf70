package dev.tend.machine;

/** A {@code subscribe} item: fire the owning transition when machine {@code machineName} fires {@code event}. */
public record Subscription(String machineName, String event) {
}
