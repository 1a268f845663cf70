package dev.tend.machine.load;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.input.BoundedFile;
import dev.tend.machine.input.FileTooLargeException;
import dev.tend.machine.input.NotUtf8Exception;
import dev.tend.machine.input.Utf8Text;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads one machine file: finds it, parses it, reads the definition and, for {@code validate}, checks the JSON Schema.
 * Internal: use {@link MachineLoader}. Thread-safe.
 */
public final class MachineFileLoader {

    public static final String FILE_NAME = "machine.yaml";

    private final WatcherRegistry registry;
    private volatile SchemaCheck schema;

    public MachineFileLoader(WatcherRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param dirOrFile  a machine directory or its machine.yaml (or another file name)
     * @param withSchema also check the JSON Schema (problems the semantic checks found on the same line win)
     */
    public MachineLoader.Validation read(Path dirOrFile, boolean withSchema) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE_NAME) : dirOrFile;
        Problems problems = new Problems(file);
        MachineDefinition definition = null;
        YamlNode root = null;
        Source source = source(dirOrFile, file, problems);
        if (source != null) {
            root = YamlTreeReader.read(source.text(), problems);
        }
        if (root != null) {
            Path directory = file.toAbsolutePath().normalize().getParent();
            definition = new MachineReader(registry, problems).read(root, directory, sha256(source.bytes()));
        }
        List<Problem> errors = problems.errors();
        List<Problem> warnings = problems.warnings();
        if (withSchema && root != null) {
            Found all = withSchemaFindings(new Found(errors, warnings), root, file);
            errors = all.errors();
            warnings = all.warnings();
        }
        if (definition != null && errors.isEmpty()) {
            definition = definition.withWarnings(warnings);
        }
        return new MachineLoader.Validation(file, Optional.ofNullable(errors.isEmpty() ? definition : null), errors,
                warnings);
    }

    /** The file as read and as text. */
    private record Source(byte[] bytes, String text) {
    }

    /** The file, or {@code null} after reporting why there is none. */
    private static Source source(Path given, Path file, Problems problems) {
        if (!Files.exists(given)) {
            problems.error(0, "", "no such file or directory");
            return null;
        }
        if (!Files.exists(file)) {
            problems.error(0, "", "not found: a machine directory must contain " + FILE_NAME);
            return null;
        }
        if (!Files.isRegularFile(file)) {
            problems.error(0, "", "not a regular file");
            return null;
        }
        byte[] bytes;
        try {
            bytes = BoundedFile.read(file, MachineLoader.FILE_LIMIT);
        } catch (FileTooLargeException e) {
            problems.error(0, "", e.getMessage());
            return null;
        } catch (AccessDeniedException e) {
            problems.error(0, "", "cannot read the file: permission denied");
            return null;
        } catch (IOException e) {
            problems.error(0, "", "cannot read the file: " + e.getMessage());
            return null;
        }
        try {
            return new Source(bytes, Utf8Text.decode(bytes));
        } catch (NotUtf8Exception e) {
            problems.error(e.line(), "", e.getMessage());
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Errors and warnings, each sorted by line. */
    private record Found(List<Problem> errors, List<Problem> warnings) {
    }

    /**
     * The semantic errors and warnings plus the schema's findings about parts without semantic problems of the same
     * kind: where the semantic checks found something in a transition or watcher (or on the line of a top-level
     * field), their message says it better and names the fix, so the schema's findings there are dropped. A key the
     * schema does not define is a warning, as the loader's unknown keys are (the schema is the strict form: what
     * {@code validate --strict} accepts).
     */
    private Found withSchemaFindings(Found semantic, YamlNode root, Path file) {
        List<Problem> errors = new ArrayList<>(semantic.errors());
        List<Problem> warnings = new ArrayList<>(semantic.warnings());
        for (SchemaCheck.Finding f : schema().check(root, file)) {
            if (f.unknownKey()) {
                if (!covered(f, semantic.warnings(), root) && !covered(f, semantic.errors(), root)) {
                    warnings.add(f.problem());
                }
            } else if (!covered(f, semantic.errors(), root)) {
                errors.add(f.problem());
            }
        }
        return new Found(Problems.sorted(errors), Problems.sorted(warnings));
    }

    /** Whether a semantic problem is on the finding's line, or within the transition or watcher it is about. */
    private static boolean covered(SchemaCheck.Finding f, List<Problem> semantic, YamlNode root) {
        return semantic.stream().anyMatch(e -> e.line() == f.problem().line()
                || e.line() >= f.firstLine() && e.line() <= f.lastLine() && f.firstLine() > root.line());
    }

    private SchemaCheck schema() {
        SchemaCheck s = schema;
        if (s == null) {
            synchronized (this) {
                s = schema;
                if (s == null) {
                    s = new SchemaCheck(SchemaGenerator.generate(registry));
                    schema = s;
                }
            }
        }
        return s;
    }
}
