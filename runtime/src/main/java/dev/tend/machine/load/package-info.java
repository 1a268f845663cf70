/**
 * Loading machine.yaml. Public: {@link dev.tend.machine.load.MachineLoader} (load and validate a machine file, start
 * here) and {@link dev.tend.machine.load.MachineSchema} (the JSON Schema of the format for a set of watcher types);
 * the rest is their implementation ({@code MachineFileLoader} reads one file).
 *
 * <p>SnakeYAML's composer gives a node tree with lines ({@link dev.tend.machine.load.YamlTreeReader}); scalars keep the
 * text written, so YAML 1.1's {@code on}/{@code off}/{@code yes}/{@code no} stay strings, and JSON types follow the
 * YAML 1.2 core schema. The readers check it field by field and collect every problem with its line; the JSON Schema is
 * generated from the registered watcher types and checked by {@code validate} only. Errors stop a machine from loading;
 * warnings travel with the definition ({@link dev.tend.machine.MachineDefinition#warnings()}) to the agent's log and
 * {@code tend machine info}.
 *
 * <p>Where Tend differs from the reference (for docs/machines.md):
 * <ul>
 *   <li>Everything is checked at load, not when watchers start: watcher types, unique watcher names, every property
 *   (types, required, allowed values, the type's own rules), {@code foreign_state_required} items.</li>
 *   <li>Unknown keys are ignored as the reference ignores them, but each is a warning with a suggestion, at every
 *   level (top level, transitions and their subscribe items, watchers and their foreign_state_required items,
 *   properties); {@code validate}'s JSON Schema pass, whose schema refuses them, reports them as warnings too.
 *   Duplicate keys are errors.</li>
 *   <li>A state the machine reaches that no transition leaves and where no watcher runs is a warning
 *   ({@code DeadEnds}).</li>
 *   <li>{@code name} must match {@code ^[a-zA-Z][a-zA-Z0-9_-]*$} (it names a directory in the state directory); the
 *   reference only checks it is not empty (its schema wants two characters or more).</li>
 *   <li>{@code version}: not SemVer is a warning, not an error. {@code from} must list at least one state.</li>
 *   <li>Property durations use Tend's one syntax: Go's plus {@code d} and {@code w}. A bare number other than 0 is
 *   refused ("add a unit, e.g. 10s") where the reference reads nanoseconds. Negative durations are refused
 *   everywhere. {@code interval}/{@code announce_interval} also take the reference's {@code 1.5d}, {@code 2w},
 *   {@code 1M} (30 days), {@code 1y} (365 days) forms, truncated to whole hours as there, and combinations such as
 *   {@code 1d12h}.</li>
 *   <li>Booleans take {@code true/false/t/f/1/0} (as Go) and {@code yes/no/on/off}, in any case. Integers take
 *   {@code 0x}/{@code 0o}/{@code 0b} and whole numbers written with a fraction ({@code 10.0}).</li>
 *   <li>An empty value ({@code key:}, {@code ~}) is an absent one: the default applies.</li>
 *   <li>Reference watcher types Tend does not have are refused as "not supported by Tend".</li>
 * </ul>
 */
package dev.tend.machine.load;
