/**
 * What a machine keeps and reads on the node: its data and the node's facts, as files. Public for those who run
 * machines: {@link dev.tend.machine.data.FileMachineData} (start here), the SPI's {@code MachineData} kept in memory
 * and written after every change to {@code <state>/machines/<name>/machine_data.json}, which the engine opens per
 * machine and {@code tend machine run --data} writes into before a machine starts; and
 * {@link dev.tend.machine.data.FactsFile}, the node's facts from a JSON or YAML file, read again when the file changes,
 * which {@code tend agent} and {@code tend machine run} give to {@link dev.tend.machine.MachineSettings}
 * ({@code --facts}), and read the same way for Choria Scout's overrides file ({@code --overrides}); and
 * {@link dev.tend.machine.data.StateFile}, a machine's {@link dev.tend.machine.data.SavedState} (state, the definition's
 * hash, when the state was entered, the data) in {@code machine_state.json} beside its data, for a machine that resumes
 * its state: written before the data file on every change of the data, so that it never holds older data than it.
 *
 * <p>Inside: {@code AtomicFileWriter} replaces a file so that a crash leaves the old or the new content (temporary
 * file, force, rename, force of the directory), owner-only (0600 files, 0700 directories) since data may hold secrets;
 * {@code FrozenJson} makes the deep unmodifiable copies that values are stored as. Data is recreatable: a corrupt file
 * (or one over {@code FileMachineData.LIMIT}) is moved aside and the machine starts with none; a
 * {@code machine_data.json} in the machine's directory, where Choria keeps it, is imported once. In noop mode
 * ({@code FileMachineData.openUnwritten}) the file is read the same way but nothing is written, moved or removed.
 * docs/machines.md
 * ("Machine data", "Facts") describes both for users.
 *
 * <p>Depends on the watcher SPI ({@code MachineData}), {@code machine.input} (size limits, SnakeYAML's linear reader),
 * {@code machine.json} (numbers written as Choria writes them), Jackson and SnakeYAML; never on who runs the machines.
 */
package dev.tend.machine.data;
