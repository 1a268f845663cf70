package dev.tend.machine.engine;

import dev.tend.machine.data.FileMachineData;
import dev.tend.machine.spi.MachineData;
import dev.tend.machine.spi.Templates;
import dev.tend.machine.template.TemplateRenderer;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A machine's data and templates, shared by its watchers and opened on first use, so that loading thousands of machines
 * reads no data file until a watcher needs one.
 */
final class MachineResources {

    private final Path dataFile;
    private final Path legacyDataFile;
    private final Supplier<Map<String, Object>> facts;
    private final Supplier<Map<String, Object>> overrides;
    private final Runnable onDataChange;
    private final boolean noop;
    /** The saved state the data is written with, or {@code null} when the machine does not resume its state. */
    private final StateKeeper keeper;
    private MachineData data;
    private Templates templates;

    /**
     * @param stateDirectory the agent's state directory: data lives in {@code machines/<name>/machine_data.json} there
     * @param machineDirectory where the reference kept {@code machine_data.json}: read once for compatibility
     * @param overrides        the agent's overrides (every machine's): templates' {@code o} reads this machine's entry
     * @param noop             noop mode: the data is read from its file but kept in memory, never written
     * @param onDataChange     called after each put or delete of the data, on the thread that made it
     * @param keeper           the machine's saved state, told of every change of the data; {@code null} when it does
     *                         not resume its state
     */
    MachineResources(String machineName, Path stateDirectory, Path machineDirectory,
                     Supplier<Map<String, Object>> facts, Supplier<Map<String, Object>> overrides, boolean noop,
                     Runnable onDataChange, StateKeeper keeper) {
        this.onDataChange = onDataChange;
        this.noop = noop;
        this.keeper = keeper;
        this.dataFile = dataFile(stateDirectory, machineName);
        this.legacyDataFile = machineDirectory.resolve("machine_data.json");
        this.facts = facts;
        this.overrides = () -> ownEntry(overrides.get(), machineName);
    }

    /** Where the data of machine {@code machineName} lives. */
    static Path dataFile(Path stateDirectory, String machineName) {
        return stateDirectory.resolve("machines").resolve(machineName).resolve("machine_data.json");
    }

    /** A machine's entry in the overrides: the object under its name, else none. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> ownEntry(Map<String, Object> all, String machineName) {
        Object own = all == null ? null : all.get(machineName);
        return own instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /**
     * The data's keys and values when a watcher has opened it, else none: a status must not open thousands of data
     * files (a machine's data is read when one of its watchers first uses it, and only then matters).
     */
    synchronized Map<String, Object> dataIfOpen() {
        return data == null ? Map.of() : data.snapshot();
    }

    synchronized MachineData data() {
        if (data == null) {
            FileMachineData file;
            if (noop) {
                file = FileMachineData.openUnwritten(dataFile, legacyDataFile,
                        keeper == null ? null : keeper.resumedData());
            } else if (keeper == null) {
                file = FileMachineData.open(dataFile, legacyDataFile);
            } else {
                file = FileMachineData.open(dataFile, legacyDataFile, keeper.resumedData(), keeper::dataWritten);
            }
            if (keeper != null) {
                keeper.dataOpened(file.snapshot());
            }
            data = new NotifyingMachineData(file, onDataChange);
        }
        return data;
    }

    synchronized Templates templates() {
        if (templates == null) {
            templates = new TemplateRenderer(() -> data().snapshot(), facts, overrides);
        }
        return templates;
    }
}
