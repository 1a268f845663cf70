package dev.tend.machine.load;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.input.FileLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads and validates {@code machine.yaml} files: the format of docs/machines.md, every problem located by file, line
 * and field, all of them reported at once. Thread-safe; one loader can serve every machine of an agent.
 */
public final class MachineLoader {

    /**
     * The largest machine file read (docs/machines.md, "Validation"); a larger one is refused before it is parsed. A
     * machine with a thousand watchers fits in a tenth of it.
     */
    public static final FileLimit FILE_LIMIT = FileLimit.mebibytes(1, "a machine file");

    private static final Logger LOG = LoggerFactory.getLogger(MachineLoader.class);

    private final MachineFileLoader files;

    /** A loader that knows the watcher types of {@code registry}. */
    public MachineLoader(WatcherRegistry registry) {
        this.files = new MachineFileLoader(registry);
    }

    /**
     * Loads a machine. Warnings (a version that is not SemVer, ...) are logged at WARN.
     *
     * @param machineDirOrFile a machine directory (containing machine.yaml) or the file itself
     * @throws MachineLoadException with every error found, sorted by line
     */
    public MachineDefinition load(Path machineDirOrFile) throws MachineLoadException {
        Validation v = files.read(machineDirOrFile, false);
        v.warnings().forEach(w -> LOG.warn("{}", w));
        if (!v.isValid()) {
            throw new MachineLoadException(v.errors());
        }
        return v.definition().orElseThrow();
    }

    /**
     * Everything {@code tend machine validate} reports: the semantic checks of {@link #load} and the JSON Schema
     * ({@link MachineSchema}). Never throws for a bad file.
     */
    public Validation validate(Path machineDirOrFile) {
        return files.read(machineDirOrFile, true);
    }

    /**
     * What a validation found.
     *
     * @param file       the machine file (a directory's machine.yaml), as given
     * @param definition the machine, when there are no errors
     * @param errors     sorted by line (whole-file problems first)
     * @param warnings   sorted by line
     */
    public record Validation(Path file, Optional<MachineDefinition> definition, List<Problem> errors,
                             List<Problem> warnings) {

        public Validation {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
            if (definition.isPresent() != errors.isEmpty()) {
                throw new IllegalArgumentException("a validation has a definition exactly when it has no errors");
            }
        }

        public boolean isValid() {
            return errors.isEmpty();
        }
    }
}
