package dev.tend.kv.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.UnsupportedFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The config JSON is written with jackson-core's streaming API: the bytes must stay those databind wrote. */
class ConfigFileTest {

    private static final List<BucketConfig> CONFIGS = List.of(
            BucketConfig.builder("CFG").build(),
            BucketConfig.builder("b-1").history(64).ttl(Duration.ofHours(36)).maxValueSize(1024)
                    .maxBucketSize(10L * 1024 * 1024 * 1024).description("Zoë's \"bucket\"\n\ttab €").build());

    /** What the databind version wrote: a map in the record's field order. */
    private static Map<String, Object> shape(BucketConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("name", c.name());
        m.put("description", c.description());
        m.put("history", c.history());
        m.put("ttl_nanos", c.ttl().toNanos());
        m.put("max_value_size", c.maxValueSize());
        m.put("max_bucket_size", c.maxBucketSize());
        m.put("replicas", c.replicas());
        m.put("storage", c.storage().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    @Test
    void compactAndPrettyBytesAreDatabinds(@TempDir Path dir) throws Exception {
        for (BucketConfig c : CONFIGS) {
            assertThat(new String(ConfigFile.toJson(c), StandardCharsets.UTF_8))
                    .isEqualTo(new ObjectMapper().writeValueAsString(shape(c)));
            ConfigFile.write(new NioStorageIo(), dir, c);
            assertThat(Files.readString(dir.resolve(ConfigFile.NAME)))
                    .isEqualTo(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(shape(c)));
            assertThat(ConfigFile.read(new NioStorageIo(), dir)).isEqualTo(c);
            assertThat(ConfigFile.fromJson(ConfigFile.toJson(c), "x")).isEqualTo(c);
        }
    }

    @Test
    void readsLikeDatabind() {
        byte[] json = ("{\"extra\":{\"a\":[1,2]},\"name\":\"CFG\",\"history\":\"3\",\"format\":1,"
                + "\"replicas\":1,\"description\":null}").getBytes(StandardCharsets.UTF_8);
        BucketConfig c = ConfigFile.fromJson(json, "x");
        assertThat(c.name()).isEqualTo("CFG");
        assertThat(c.history()).isEqualTo(3);
        assertThat(c.description()).isEmpty();
        assertThatThrownBy(() -> ConfigFile.fromJson("null".getBytes(StandardCharsets.UTF_8), "x"))
                .isInstanceOf(CorruptDataException.class).hasMessage("x is empty");
        assertThatThrownBy(() -> ConfigFile.fromJson(new byte[0], "x"))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("x is not a valid bucket config");
        assertThatThrownBy(() -> ConfigFile.fromJson("{\"name\":\n\"CFG\",".getBytes(StandardCharsets.UTF_8), "x"))
                .isInstanceOf(CorruptDataException.class).hasMessage("x is not a valid bucket config (line 2)");
        assertThatThrownBy(() -> ConfigFile.fromJson("[1]".getBytes(StandardCharsets.UTF_8), "x"))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("is not a valid bucket config");
        assertThatThrownBy(() -> ConfigFile.fromJson("{\"format\":2,\"name\":\"CFG\"}".getBytes(StandardCharsets.UTF_8),
                "x")).isInstanceOf(UnsupportedFormatException.class);
    }
}
