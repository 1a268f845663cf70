package dev.tend.machine.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.machine.WatcherRegistry;

/**
 * The JSON Schema (draft-07) of {@code machine.yaml} for a set of watcher types: the top-level structure, transitions,
 * the common watcher fields, and per registered type an {@code if {type: X} then {properties: ...}} block built from
 * its {@link dev.tend.machine.spi.PropertySpec}s. A file {@link MachineLoader} accepts always passes it unless it has
 * unknown keys, which the schema refuses and the loader warns about; the loader
 * checks more (known states and transitions, unique names, the types' own rules).
 */
public final class MachineSchema {

    /** The schema's {@code $id}. */
    public static final String ID = SchemaGenerator.ID;

    private MachineSchema() {
    }

    /** A new schema tree for the types of {@code registry}. */
    public static ObjectNode of(WatcherRegistry registry) {
        return SchemaGenerator.generate(registry);
    }
}
