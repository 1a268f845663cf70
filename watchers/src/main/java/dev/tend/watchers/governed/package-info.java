/**
 * A watcher's slot in a governor of the agent's store, shared by the {@code exec} and {@code archive} types: the name
 * checked, a wait of up to the watcher's {@code governor_timeout}, the slot held while the work runs and released after,
 * logged as the reference publishes its governor lifecycle events (INFO for a slot obtained and vacated, WARN for a wait
 * that failed). Knows no watcher type.
 */
package dev.tend.watchers.governed;
