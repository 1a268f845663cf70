package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.tend.cli.e2e.Tend.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code --json} shapes of get, history, keys, info, ls and watch, as the spec documents them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonOutputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RFC3339_NANOS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z";

    private Path tmp;

    private Tend tend;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        tmp = dir;
        tend = new Tend(tmp);
        assertOk(tend.run("kv", "add", "CFG", "--history", "5", "--max-value-size", "10240",
                "--max-bucket-size", "102400", "--description", "json test"));
        assertOk(tend.run("kv", "put", "CFG", "username", "myservice"));
        assertOk(tend.run("kv", "put", "CFG", "username", "other"));
        assertOk(tend.run("kv", "del", "CFG", "username", "-f"));
        assertOk(tend.run("kv", "put", "CFG", "username", "third"));
        assertOk(tend.runWithInput(new byte[] {0, (byte) 0xff, 1}, "kv", "put", "CFG", "bin", "-"));
        assertOk(tend.run("kv", "put", "CFG", "zeta", "z"));
        assertOk(tend.run("kv", "add", "EMPTY"));
    }

    @AfterAll
    void tearDown() {
        tend.close();
    }

    private JsonNode json(String... args) throws Exception {
        Tend.Result r = tend.run(args);
        assertOk(r);
        return JSON.readTree(r.out());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertEntry(JsonNode e, String key, long revision, String operation) {
        assertThat(e.isObject()).as(e.toString()).isTrue();
        assertThat(e.get("bucket").asText()).isEqualTo("CFG");
        assertThat(e.get("key").asText()).isEqualTo(key);
        assertThat(e.get("revision").isIntegralNumber()).isTrue();
        assertThat(e.get("revision").asLong()).isEqualTo(revision);
        assertThat(e.get("created").asText()).matches(RFC3339_NANOS);
        assertThat(e.get("delta").isIntegralNumber()).as(e.toString()).isTrue();
        assertThat(e.get("operation").asText()).isEqualTo(operation);
        assertThat(fieldNames(e)).containsAnyOf("value", "value_base64")
                .containsAll(List.of("bucket", "key", "revision", "created", "delta", "operation"));
    }

    @Test
    void getIsOneEntry() throws Exception {
        JsonNode e = json("kv", "get", "CFG", "username", "--json");
        assertEntry(e, "username", 4, "PUT");
        assertThat(e.get("value").asText()).isEqualTo("third");
        assertThat(e.has("value_base64")).isFalse();
        assertThat(e.get("delta").asLong()).isZero();
    }

    @Test
    void aBinaryValueIsBase64() throws Exception {
        JsonNode e = json("kv", "get", "CFG", "bin", "--json");
        assertEntry(e, "bin", 5, "PUT");
        assertThat(e.has("value")).isFalse();
        assertThat(Base64.getDecoder().decode(e.get("value_base64").asText())).containsExactly(0, 0xff, 1);
    }

    @Test
    void getAtARevision() throws Exception {
        JsonNode e = json("kv", "get", "CFG", "username", "--revision", "1", "--json");
        assertEntry(e, "username", 1, "PUT");
        assertThat(e.get("value").asText()).isEqualTo("myservice");
    }

    @Test
    void historyIsAnArrayOfEntriesOldestFirst() throws Exception {
        JsonNode h = json("kv", "history", "CFG", "username", "--json");
        assertThat(h.isArray()).isTrue();
        assertThat(h).hasSize(4);
        assertEntry(h.get(0), "username", 1, "PUT");
        assertEntry(h.get(1), "username", 2, "PUT");
        assertEntry(h.get(2), "username", 3, "DEL");
        assertEntry(h.get(3), "username", 4, "PUT");
        assertThat(h.get(0).get("value").asText()).isEqualTo("myservice");
    }

    @Test
    void keysIsASortedArrayOfStrings() throws Exception {
        JsonNode k = json("kv", "keys", "CFG", "--json");
        assertThat(k.isArray()).isTrue();
        List<String> keys = new ArrayList<>();
        k.forEach(n -> {
            assertThat(n.isTextual()).isTrue();
            keys.add(n.asText());
        });
        assertThat(keys).containsExactly("bin", "username", "zeta");
        assertThat(json("kv", "keys", "EMPTY", "--json")).isEmpty();
    }

    @Test
    void infoIsAnObjectWithConfigAndCounts() throws Exception {
        JsonNode i = json("kv", "info", "CFG", "--json");
        assertThat(i.isObject()).isTrue();
        assertThat(i.get("bucket").asText()).isEqualTo("CFG");
        assertThat(i.get("history").asInt()).isEqualTo(5);
        assertThat(i.get("values").asLong()).isEqualTo(6);
        assertThat(i.get("bytes").isIntegralNumber()).isTrue();
        assertThat(i.get("bytes").asLong()).isPositive();
        assertThat(i.get("backend").asText()).isEqualTo("embedded");
        assertThat(fieldNames(i)).contains("ttl", "replicas", "description");
        assertThat(i.toString()).contains("10240", "102400");
    }

    @Test
    void lsIsAnArrayOfInfoObjects() throws Exception {
        JsonNode ls = json("kv", "ls", "--json");
        assertThat(ls.isArray()).isTrue();
        assertThat(ls).hasSize(2);
        assertThat(ls.get(0).get("bucket").asText()).isEqualTo("CFG");
        assertThat(ls.get(1).get("bucket").asText()).isEqualTo("EMPTY");
        assertThat(ls.get(0)).isEqualTo(json("kv", "info", "CFG", "--json"));
        assertThat(ls.get(1).get("values").asLong()).isZero();
    }

    @Test
    void watchIsOneEntryPerLine() throws Exception {
        Tend.Result r = tend.run("kv", "watch", "CFG", "username", "--json", "--timeout", "3s");
        assertOk(r);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        long revision = 0;
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            assertThat(e.get("revision").asLong()).isGreaterThan(revision);
            revision = e.get("revision").asLong();
            assertEntry(e, "username", revision, e.get("operation").asText());
        }
        assertThat(JSON.readTree(lines.get(2)).get("operation").asText()).isEqualTo("DEL");
    }
}
