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
    private MachineData data;
    private Templates templates;

    /**
     * @param stateDirectory the agent's state directory: data lives in {@code machines/<name>/machine_data.json} there
     * @param machineDirectory where the reference kept {@code machine_data.json}: read once for compatibility
     */
    MachineResources(String machineName, Path stateDirectory, Path machineDirectory,
                     Supplier<Map<String, Object>> facts) {
        this.dataFile = stateDirectory.resolve("machines").resolve(machineName).resolve("machine_data.json");
        this.legacyDataFile = machineDirectory.resolve("machine_data.json");
        this.facts = facts;
    }

    synchronized MachineData data() {
        if (data == null) {
            data = FileMachineData.open(dataFile, legacyDataFile);
        }
        return data;
    }

    synchronized Templates templates() {
        if (templates == null) {
            templates = new TemplateRenderer(() -> data().snapshot(), facts);
        }
        return templates;
    }
}
