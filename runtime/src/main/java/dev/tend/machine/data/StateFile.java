package dev.tend.machine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tend.machine.input.BoundedFile;
import dev.tend.machine.input.FileLimit;
import dev.tend.machine.input.FileTooLargeException;
import dev.tend.machine.json.GoNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A machine's {@link SavedState} as one JSON object in {@code <state>/machines/<name>/machine_state.json}, next to its
 * data, replaced whole and atomically ({@link AtomicFileWriter}) on each write, so that the state, the definition's
 * hash, the time and the data it holds always belong together. Only machines that resume their state have one.
 *
 * <pre>{"state":"maintenance","definition_sha256":"..","entered":"2026-12-07T16:20:01Z","saved":"..","data":{..}}</pre>
 *
 * A missing, unreadable or corrupt file reads as none (the machine then starts in its initial state and the next
 * write replaces the file). Thread-safe: writes are serialised.
 */
public final class StateFile {

    /** The file's name, beside {@code machine_data.json}. */
    public static final String NAME = "machine_state.json";
    /** The data's limit and room for the rest. */
    static final FileLimit LIMIT = FileLimit.mebibytes(17, "saved machine state");

    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .addModule(GoNumbers.module())
            .build()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;

    private StateFile(Path file) {
        this.file = file;
    }

    /** The state file of the machine whose data lives in {@code dataFile} (its sibling {@value #NAME}). */
    public static StateFile beside(Path dataFile) {
        return new StateFile(dataFile.resolveSibling(NAME));
    }

    public Path file() {
        return file;
    }

    /** What was saved, or empty when nothing (usable) was; a problem is logged as a warning. */
    public Optional<SavedState> read() {
        try {
            byte[] bytes = BoundedFile.read(file, LIMIT);
            Object parsed = JSON.readValue(bytes, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                return unusable("not a JSON object");
            }
            Object state = map.get("state");
            Object sha = map.get("definition_sha256");
            Object entered = map.get("entered");
            Object saved = map.get("saved");
            Object data = map.get("data");
            if (!(state instanceof String s) || s.isEmpty() || !(sha instanceof String h) || !(entered instanceof String e)
                    || !(saved instanceof String v) || (data != null && !(data instanceof Map))) {
                return unusable("it lacks state, definition_sha256, entered, saved or data");
            }
            return Optional.of(new SavedState(s, h, Instant.parse(e), Instant.parse(v),
                    data == null ? Map.of() : FrozenJson.copyObject((Map<?, ?>) data, "saved machine data")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileTooLargeException e) {
            return unusable(e.getMessage());
        } catch (JsonProcessingException e) {
            return unusable(e.getOriginalMessage().lines().findFirst().orElse("not JSON"));
        } catch (DateTimeParseException e) {
            return unusable("a time is not an RFC 3339 time: " + e.getParsedString());
        } catch (IOException e) {
            return unusable(FileMachineData.describe(e));
        }
    }

    /** Replaces the file with {@code saved}. */
    public synchronized void write(SavedState saved) throws IOException {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("state", saved.state());
        n.put("definition_sha256", saved.definitionSha256());
        n.put("entered", saved.entered().toString());
        n.put("saved", saved.saved().toString());
        n.put("data", saved.data());
        AtomicFileWriter.write(file, JSON.writeValueAsBytes(n));
    }

    private Optional<SavedState> unusable(String why) {
        LOG.warn("ignoring the saved state {}: {}", file, why);
        return Optional.empty();
    }
}
