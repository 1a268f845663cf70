package dev.tend.kv.backup;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * entries.jsonl is one JSON object per line: each way a line can break that rule is refused with the file and the
 * line. The checksum is left out of the backup so that the line rules, not the checksum, answer.
 */
class EntriesFileLinesTest {

    @TempDir
    Path tmp;

    private KvStore store;
    private Path dir;
    private List<String> lines;

    @BeforeEach
    void backup() throws IOException {
        store = KvStore.builder().directory(tmp.resolve("store")).build();
        Bucket b = store.create(BucketConfig.builder("L").history(5).build());
        b.put("a", "1");
        b.put("b", "2");
        b.put("c", "3");
        dir = tmp.resolve("backup");
        BucketBackup.write(b, dir);
        lines = Files.readAllLines(dir.resolve("entries.jsonl"));
        Path head = dir.resolve("bucket.json");
        Files.writeString(head, Files.readString(head).replaceAll("\"entries_sha256\" : \"[0-9a-f]+\"",
                "\"entries_sha256\" : null"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void write(String text) throws IOException {
        Files.writeString(dir.resolve("entries.jsonl"), text, StandardCharsets.UTF_8);
    }

    private String joined(UnaryOperator<List<String>> edit) {
        return String.join("\n", edit.apply(new ArrayList<>(lines)));
    }

    private void assertDamaged(String text, String fragment) throws IOException {
        write(text);
        assertThatThrownBy(() -> BucketBackup.read(dir)).as(text).isInstanceOf(CorruptDataException.class)
                .hasMessageStartingWith("damaged backup: " + dir.toAbsolutePath().resolve("entries.jsonl"))
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private List<String> keysOf(String text) throws IOException {
        write(text);
        List<String> keys = new ArrayList<>();
        for (Entry e : BucketBackup.read(dir).entries()) {
            keys.add(e.key());
        }
        return keys;
    }

    @Test
    void wellFormedVariantsRead() throws IOException {
        assertThat(keysOf(joined(l -> l) + "\n")).containsExactly("a", "b", "c");
        assertThat(keysOf(joined(l -> l).replace("\n", "\r\n") + "\r\n")).containsExactly("a", "b", "c");
        assertThat(keysOf("  " + joined(l -> l) + "  \n")).containsExactly("a", "b", "c");
        String withExtra = lines.get(0).replace("{", "{\"extra\":{\"x\":[1,{\"y\":null}]},");
        assertThat(keysOf(joined(l -> {
            l.set(0, withExtra);
            return l;
        }) + "\n")).containsExactly("a", "b", "c");
    }

    @Test
    void emptyLinesAreRefused() throws IOException {
        assertDamaged("\n" + joined(l -> l) + "\n", "line 1: empty line");
        assertDamaged(joined(l -> {
            l.add(1, "");
            return l;
        }) + "\n", "line 2: empty line");
        assertDamaged(joined(l -> {
            l.add(2, "   ");
            return l;
        }) + "\n", "line 3: empty line");
        assertDamaged(joined(l -> l) + "\n\n", "line 4: empty line");
    }

    @Test
    void oneObjectPerLine() throws IOException {
        assertDamaged(joined(l -> {
            l.set(1, l.get(1) + " " + l.get(2));
            l.remove(2);
            return l;
        }) + "\n", "line 2: not valid JSON");
        assertDamaged(joined(l -> {
            l.set(0, l.get(0).replace(",\"revision\"", ",\n\"revision\""));
            return l;
        }) + "\n", "line 1: not valid JSON");
        assertDamaged(joined(l -> {
            l.set(1, l.get(1).replace("\"key\":\"b\"", "\"key\":\"b\",\"key\":\"b\""));
            return l;
        }) + "\n", "line 2: not valid JSON");
        assertDamaged(joined(l -> {
            l.set(2, "garbage");
            return l;
        }) + "\n", "line 3: not valid JSON");
        assertDamaged(joined(l -> {
            l.set(1, "null");
            return l;
        }) + "\n", "line 2: not a JSON object");
    }

    @Test
    void aLastLineWithoutNewlineIsTorn() throws IOException {
        assertDamaged(joined(l -> l), "line 3: incomplete");
        assertDamaged(joined(l -> l) + "\n   ", "line 4: incomplete");
        assertDamaged(joined(l -> {
            l.set(2, l.get(2).substring(0, 20));
            return l;
        }), "line 3: incomplete");
        assertDamaged(joined(l -> {
            l.set(2, "garbage");
            return l;
        }), "line 3: incomplete");
    }
}
