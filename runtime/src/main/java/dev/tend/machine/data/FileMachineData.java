package dev.tend.machine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tend.machine.input.BoundedFile;
import dev.tend.machine.input.FileLimit;
import dev.tend.machine.input.FileTooLargeException;
import dev.tend.machine.json.GoNumbers;
import dev.tend.machine.spi.MachineData;
import dev.tend.machine.spi.MachineDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A machine's data, kept in memory and written as one JSON object to {@code machine_data.json} after every change
 * (atomically: see {@link AtomicFileWriter}). Values are stored as deep unmodifiable copies, so neither the caller
 * that put them nor a reader of a snapshot can change them. Thread-safe.
 */
public final class FileMachineData implements MachineData {

    /**
     * The largest machine data file read or written (docs/machines.md, "Machine data"); a larger one is moved aside
     * unread, and a change that would make the file larger is refused (the value stays in memory).
     */
    public static final FileLimit LIMIT = FileLimit.mebibytes(16, "machine data");

    private static final Logger LOG = LoggerFactory.getLogger(FileMachineData.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            // Characters outside the BMP (emoji) as UTF-8, not as escaped surrogate pairs: the file is for people too.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .addModule(GoNumbers.module()) // numbers as Choria writes them
            .build()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final DateTimeFormatter ASIDE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    /** Sorted so that the file is stable and easy to compare; guarded by {@code this}. */
    private final Map<String, Object> values;
    /**
     * The file exists but could not be read when opened (permissions, an I/O error): writing would replace data we never
     * saw, so every write first tries to read it again and refuses until it can. Guarded by {@code this}.
     */
    private boolean unread;
    /** False in noop mode ({@link #openUnwritten}): changes stay in memory. */
    private final boolean writes;
    /** Given the values before each write of the file, under this object's lock; never null. */
    private Consumer<Map<String, Object>> beforeWrite = values -> { };

    private FileMachineData(Path file, Map<String, Object> values, boolean writes) {
        this.file = file;
        this.values = new TreeMap<>(values);
        this.writes = writes;
    }

    /**
     * Loads a machine's data for noop mode: read as {@link #open} reads it (the legacy file when {@code dataFile} does
     * not exist), but nothing is ever written, moved or removed: a corrupt or unreadable file is ignored as it is, and
     * every put and delete is kept in memory only.
     */
    public static FileMachineData openUnwritten(Path dataFile, Path legacyFile) {
        return openUnwritten(dataFile, legacyFile, null);
    }

    /**
     * As {@link #openUnwritten(Path, Path)}, for a machine that resumes its saved state in noop mode.
     *
     * @param resumed the data saved with the state it resumes, used instead of the file's (in memory only);
     *                {@code null} when it does not resume
     */
    public static FileMachineData openUnwritten(Path dataFile, Path legacyFile, Map<String, Object> resumed) {
        Objects.requireNonNull(dataFile, "dataFile");
        if (resumed != null) {
            return new FileMachineData(dataFile, FrozenJson.copyObject(resumed, "machine data"), false);
        }
        Path source = Files.exists(dataFile) || legacyFile == null || !Files.exists(legacyFile) ? dataFile : legacyFile;
        Map<String, Object> read = read(source, false, Clock.systemUTC());
        return new FileMachineData(dataFile, read == null ? Map.of() : read, false);
    }

    /**
     * Loads a machine's data as {@link #open(Path, Path)} does, for a machine that resumes its saved state.
     *
     * @param resumed     the data saved with the state it resumes, which replaces the file's (the file is rewritten when
     *                    they differ); {@code null} when it does not resume (the file's data is used)
     * @param beforeWrite given every change's values before they are written, on the thread that made the change and
     *                    under this data's lock, so that changes reach it in order (the machine's {@link StateFile});
     *                    a {@link MachineDataException} it throws fails the change as a failed write of the file does
     */
    public static FileMachineData open(Path dataFile, Path legacyFile, Map<String, Object> resumed,
                                       Consumer<Map<String, Object>> beforeWrite) {
        FileMachineData data = open(dataFile, legacyFile, Clock.systemUTC());
        synchronized (data) {
            data.beforeWrite = Objects.requireNonNull(beforeWrite, "beforeWrite");
            if (resumed != null && !resumed.equals(data.values)) {
                data.values.clear();
                data.values.putAll(FrozenJson.copyObject(resumed, "machine data"));
                try {
                    data.persist();
                } catch (MachineDataException e) {
                    LOG.warn("{} (the resumed data is kept in memory)", e.getMessage());
                }
            }
        }
        return data;
    }

    /**
     * Loads a machine's data. Never fails: data is recreatable, so a missing file means none, and a corrupt one is
     * moved aside ({@code machine_data.json.corrupt-<UTC time>}) with a warning and the machine starts with none.
     *
     * @param dataFile   where the data lives: {@code <stateDir>/machines/<name>/machine_data.json}
     * @param legacyFile where the reference kept it: {@code <machineDir>/machine_data.json}; read once, when
     *                   {@code dataFile} does not exist yet, and copied there. May be {@code null}.
     */
    public static FileMachineData open(Path dataFile, Path legacyFile) {
        return open(dataFile, legacyFile, Clock.systemUTC());
    }

    static FileMachineData open(Path dataFile, Path legacyFile, Clock clock) {
        Objects.requireNonNull(dataFile, "dataFile");
        removeLeftovers(dataFile);
        if (Files.exists(dataFile) || legacyFile == null || !Files.exists(legacyFile)) {
            Map<String, Object> read = read(dataFile, true, clock);
            FileMachineData data = new FileMachineData(dataFile, read == null ? Map.of() : read, true);
            data.unread = read == null;
            return data;
        }
        // The legacy file sits in the machine directory, which may be read-only and config-managed: never move it.
        Map<String, Object> legacy = read(legacyFile, false, clock);
        FileMachineData data = new FileMachineData(dataFile, legacy == null ? Map.of() : legacy, true);
        try {
            data.persist();
            LOG.info("imported machine data from {} into {}", legacyFile, dataFile);
        } catch (MachineDataException e) {
            LOG.warn("{} (the data read from {} is kept in memory)", e.getMessage(), legacyFile);
        }
        return data;
    }

    /** The file this data is written to. */
    public Path file() {
        return file;
    }

    /** A key that holds JSON {@code null} reads as empty, like an absent one; {@link #snapshot()} tells them apart. */
    @Override
    public synchronized Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public synchronized void put(String key, Object value) {
        Objects.requireNonNull(key, "key");
        values.put(key, FrozenJson.copy(value, "machine data \"" + key + "\""));
        persist();
    }

    @Override
    public synchronized void delete(String key) {
        if (values.containsKey(key)) {
            values.remove(key);
            persist();
        }
    }

    @Override
    public synchronized Map<String, Object> snapshot() {
        // The values themselves are unmodifiable copies, so a copy of the top level is enough.
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    private void persist() {
        if (!writes) {
            return;
        }
        if (unread) {
            Map<String, Object> onDisk = read(file, false, Clock.systemUTC());
            if (onDisk == null) {
                throw new MachineDataException("cannot write machine data " + file + ": the file exists but could not "
                        + "be read, and writing would replace what it holds", null);
            }
            onDisk.forEach(values::putIfAbsent); // what this process wrote meanwhile wins over what the file held
            unread = false;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(values);
        } catch (JsonProcessingException e) {
            throw new MachineDataException("cannot write machine data " + file + ": " + e.getOriginalMessage(), e);
        }
        if (json.length > LIMIT.bytes()) {
            // Written, it would be refused when read back: keep the file as it is.
            throw new MachineDataException("cannot write machine data " + file + ": " + LIMIT.refusal(json.length),
                    null);
        }
        beforeWrite.accept(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        try {
            AtomicFileWriter.write(file, json);
        } catch (IOException e) {
            throw new MachineDataException("cannot write machine data " + file + ": " + describe(e), e);
        }
    }

    /** The file's values; empty when it is missing or corrupt; {@code null} when it exists but cannot be read. */
    private static Map<String, Object> read(Path source, boolean moveAsideIfCorrupt, Clock clock) {
        String problem;
        try {
            byte[] bytes = BoundedFile.read(source, LIMIT);
            Object parsed = parse(bytes);
            if (parsed instanceof Map<?, ?> map) {
                return FrozenJson.copyObject(map, "machine data");
            }
            problem = bytes.length == 0 ? "the file is empty" : "not a JSON object";
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (FileTooLargeException | InvalidJsonException e) {
            problem = e.getMessage();
        } catch (IOException e) {
            LOG.warn("cannot read machine data {}: {}; starting without it (the file is left as it is)", source,
                    describe(e));
            return null;
        }
        if (!moveAsideIfCorrupt) {
            LOG.warn("ignoring corrupt machine data {}: {}", source, problem);
            return Map.of();
        }
        Path aside = source.resolveSibling(source.getFileName() + ".corrupt-" + ASIDE_TIME.format(clock.instant()));
        for (int n = 1; Files.exists(aside); n++) {
            aside = source.resolveSibling(source.getFileName() + ".corrupt-" + ASIDE_TIME.format(clock.instant()) + "-" + n);
        }
        try {
            Files.move(source, aside, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("corrupt machine data {} ({}) moved to {}; starting without it", source, problem, aside.getFileName());
        } catch (IOException e) {
            LOG.warn("corrupt machine data {} ({}) could not be moved aside ({}); starting without it", source, problem,
                    describe(e));
        }
        return Map.of();
    }

    /** The JSON value of {@code bytes}; a problem with the JSON (not with reading) as {@link InvalidJsonException}. */
    private static Object parse(byte[] bytes) throws InvalidJsonException {
        try {
            return JSON.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw new InvalidJsonException(bytes.length == 0 ? "the file is empty" : oneLine(e));
        }
    }

    /** Bytes that are not JSON, kept apart from errors reading them. */
    private static final class InvalidJsonException extends Exception {
        InvalidJsonException(String message) {
            super(message);
        }
    }

    private static void removeLeftovers(Path dataFile) {
        try {
            for (Path p : AtomicFileWriter.removeLeftovers(dataFile)) {
                LOG.debug("removed {}, left by an interrupted write", p);
            }
        } catch (IOException e) {
            LOG.debug("cannot look for leftover temporary files of {}: {}", dataFile, describe(e));
        }
    }

    /** Jackson's messages span lines and quote the source; the first line says what is wrong. */
    private static String oneLine(IOException e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String line = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            line += " at line " + j.getLocation().getLineNr() + " column " + j.getLocation().getColumnNr();
        }
        return line;
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + e.getMessage();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason() + ": " + f.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
