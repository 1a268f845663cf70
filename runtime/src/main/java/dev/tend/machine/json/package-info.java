/**
 * JSON numbers as Choria writes them, for the JSON that scripts and Choria's tools read: machine data
 * ({@code machine_data.json}), exec's {@code WATCHER_DATA} and {@code WATCHER_FACTS} files, and machine events.
 * {@link dev.tend.machine.json.GoFloat} formats a double as Go's {@code encoding/json} writes a float64 (whole numbers
 * without a fraction or exponent: {@code 22194048}, not Jackson's {@code 2.2194048E7});
 * {@link dev.tend.machine.json.GoNumbers#module()} is the Jackson module that writes doubles and floats that way,
 * registered on the mappers that write those files and events. Other JSON (the kv store's files and its
 * {@code --json} output, the control socket) keeps Jackson's numbers.
 *
 * <p>Depends on Jackson only.
 */
package dev.tend.machine.json;
