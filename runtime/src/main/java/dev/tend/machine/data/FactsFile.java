package dev.tend.machine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.input.BoundedFile;
import dev.tend.machine.input.FileLimit;
import dev.tend.machine.input.NotUtf8Exception;
import dev.tend.machine.input.TextStreamReader;
import dev.tend.machine.input.Utf8Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The node's facts, read from a JSON or YAML file (YAML when the name ends in {@code .yaml} or {@code .yml}) and read
 * again whenever its modification time or size changes. A missing file means no facts; a file that cannot be read or
 * parsed, or is over {@link #LIMIT}, keeps the facts read before, with one warning per change of the file. YAML follows
 * the machine file's rules: UTF-8, duplicate keys refused. Thread-safe.
 */
public final class FactsFile implements Supplier<Map<String, Object>> {

    /** The largest facts file read (docs/machines.md, "Facts"): the agent reads it again on every change. */
    public static final FileLimit LIMIT = FileLimit.mebibytes(4, "a facts file");

    private static final Logger LOG = LoggerFactory.getLogger(FactsFile.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What the file looked like when it was last read; {@code null} fields mean it was missing. */
    private record Stamp(FileTime modified, long size) {
        static final Stamp MISSING = new Stamp(null, -1);
    }

    private final Path file;
    private final String what;
    private Stamp seen;                      // guarded by this; null before the first read
    private Map<String, Object> facts = Map.of();  // guarded by this

    public FactsFile(Path file) {
        this(file, "facts");
    }

    /**
     * A file read as the facts file is, for another JSON-like document (Scout's overrides).
     *
     * @param what what the document is, in log messages ("overrides")
     */
    public FactsFile(Path file, String what) {
        this.file = Objects.requireNonNull(file, "file");
        this.what = Objects.requireNonNull(what, "what");
    }

    /** The facts in {@code file}, or none (an empty map, always) when no facts file is configured. */
    public static Supplier<Map<String, Object>> of(Path file) {
        return file == null ? Map::of : new FactsFile(file);
    }

    /** Another JSON-like document in {@code file}, read as facts are (none without a file). */
    public static Supplier<Map<String, Object>> of(Path file, String what) {
        return file == null ? Map::of : new FactsFile(file, what);
    }

    public Path file() {
        return file;
    }

    /** The current facts, unmodifiable, re-read first if the file changed. */
    @Override
    public synchronized Map<String, Object> get() {
        Stamp now = stamp();
        if (now.equals(seen)) {
            return facts;
        }
        seen = now;
        if (now == Stamp.MISSING) {
            LOG.info("{} file {} does not exist; there are no {} until it does", what, file, what);
            facts = Map.of();
            return facts;
        }
        try {
            facts = parse(BoundedFile.read(file, LIMIT));
            LOG.debug("read {} {} from {}", facts.size(), what, file);
        } catch (NoSuchFileException e) {
            seen = null; // it went between stat and read: look again next time
        } catch (IOException | InvalidFactsException e) {
            String reason = e instanceof InvalidFactsException ? e.getMessage() : FileMachineData.describe((IOException) e);
            LOG.warn("cannot use {} file {}: {}; keeping the {} read before", what, file, reason, what);
        }
        return facts;
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return Stamp.MISSING;
        }
    }

    private Map<String, Object> parse(byte[] bytes) throws InvalidFactsException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Object parsed = name.endsWith(".yaml") || name.endsWith(".yml") ? parseYaml(bytes) : parseJson(bytes);
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new InvalidFactsException("the " + what + " must be an object (a mapping), not "
                    + (parsed == null ? "empty" : describeType(parsed)));
        }
        try {
            return FrozenJson.copyObject(map, what);
        } catch (IllegalArgumentException e) {
            throw new InvalidFactsException(e.getMessage());
        }
    }

    private static Object parseJson(byte[] bytes) throws InvalidFactsException {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return JSON.readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
            throw new InvalidFactsException("invalid JSON: " + firstLine(e.getOriginalMessage()) + where);
        } catch (IOException e) {
            throw new InvalidFactsException("invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static Object parseYaml(byte[] bytes) throws InvalidFactsException {
        String text;
        try {
            text = Utf8Text.decode(bytes);
        } catch (NotUtf8Exception e) {
            throw new InvalidFactsException((e.line() > 0 ? "line " + e.line() + ": " : "") + e.getMessage());
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) LIMIT.bytes());
        FactsConstructor constructor = new FactsConstructor(options);
        constructor.setAllowDuplicateKeys(false); // a constructor's own setting: only the Yaml facade copies the option
        try {
            constructor.setComposer(new Composer(new ParserImpl(new TextStreamReader(text), options), new Resolver(),
                    options));
            return constructor.getSingleData(Object.class);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + " column " + (mark.getColumn() + 1);
            throw new InvalidFactsException("invalid YAML: " + firstLine(e.getProblem()) + where);
        } catch (YAMLException e) {
            throw new InvalidFactsException("invalid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static String describeType(Object value) {
        if (value instanceof java.util.List<?>) {
            return "a list";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value instanceof Number ? "a number" : value instanceof Boolean ? "a boolean" : value.getClass().getSimpleName();
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message).trim();
    }

    /** Safe YAML, with timestamps kept as the text written (facts are JSON-like: there is no date type). */
    private static final class FactsConstructor extends SafeConstructor {
        FactsConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }

    private static final class InvalidFactsException extends Exception {
        InvalidFactsException(String message) {
            super(message);
        }
    }
}
