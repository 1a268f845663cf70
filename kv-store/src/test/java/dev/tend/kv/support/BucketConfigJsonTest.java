package dev.tend.kv.support;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.InvalidConfigException;
import dev.tend.kv.StorageType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every shape reads back what it writes, and each reads by its own rules. */
class BucketConfigJsonTest {

    @Provide
    Arbitrary<BucketConfig> configs() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> descriptions = Arbitraries.strings().all().ofMaxLength(20);
        Arbitrary<Long> ttls = Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.longs().between(100_000_000L, Duration.ofDays(3650).toNanos()));
        Arbitrary<Long> limits = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(1, 1L << 50));
        Arbitrary<String> mirrors = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.just("ORIGIN"));
        return Combinators.combine(names, descriptions, Arbitraries.integers().between(1, 64), ttls, limits, limits,
                        Arbitraries.integers().between(1, 5), Arbitraries.of(StorageType.class))
                .as((n, d, h, ttl, mv, mb, r, st) -> BucketConfig.builder(n).description(d).history(h)
                        .ttl(Duration.ofNanos(ttl)).maxValueSize(mv).maxBucketSize(mb).replicas(r).storage(st))
                .flatMap(b -> mirrors.map(m -> b.mirror("ORIGIN".equals(b.build().name()) ? null : m).build()));
    }

    private static ConfigValues read(String json, ConfigShape shape) throws IOException {
        return read(json.getBytes(StandardCharsets.UTF_8), shape);
    }

    private static ConfigValues read(byte[] json, ConfigShape shape) throws IOException {
        try (JsonParser p = BucketConfigJson.parser(json)) {
            p.nextToken();
            return BucketConfigJson.read(p, shape);
        }
    }

    @Property(tries = 300)
    void everyShapeReadsBackWhatItWrites(@ForAll("configs") BucketConfig c) throws IOException {
        for (ConfigShape shape : ConfigShape.values()) {
            for (boolean pretty : new boolean[] {false, true}) {
                ConfigValues v = read(BucketConfigJson.toJson(c, shape, pretty), shape);
                BucketConfig expected = shape == ConfigShape.LOG ? c.toBuilder().mirror(null).build() : c;
                assertThat(v.toConfig(shape)).as("%s %s", shape, pretty).isEqualTo(expected);
                assertThat(v.version()).isEqualTo(shape.version());
            }
        }
    }

    @Test
    void theShapesDifferWhereTheyMust() {
        BucketConfig c = BucketConfig.builder("B").ttl(Duration.ofMinutes(90)).mirror("O").build();
        assertThat(new String(BucketConfigJson.toJson(c, ConfigShape.LOG, false), StandardCharsets.UTF_8))
                .isEqualTo("{\"format\":1,\"name\":\"B\",\"description\":\"\",\"history\":1,"
                        + "\"ttl_nanos\":5400000000000,\"max_value_size\":-1,\"max_bucket_size\":-1,\"replicas\":1,"
                        + "\"storage\":\"file\"}");
        assertThat(new String(BucketConfigJson.toJson(c, ConfigShape.BACKUP, false), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"B\",\"description\":\"\",\"history\":1,\"ttl\":\"1h30m0s\","
                        + "\"max_value_size\":-1,\"max_bucket_size\":-1,\"replicas\":1,\"storage\":\"file\","
                        + "\"mirror\":\"O\"}");
        assertThat(new String(BucketConfigJson.toJson(c, ConfigShape.INFO, false), StandardCharsets.UTF_8))
                .startsWith("{\"bucket\":\"B\",").endsWith(",\"mirror\":\"O\"}");
    }

    @Test
    void aBackupsMissingSettingsTakeTheDefaults() throws IOException {
        BucketConfig c = read("{\"name\":\"B\",\"history\":3,\"unknown\":{\"a\":[1]}}", ConfigShape.BACKUP)
                .toConfig(ConfigShape.BACKUP);
        assertThat(c).isEqualTo(BucketConfig.builder("B").history(3).build());
        c = read("{\"name\":\"B\",\"history\":3,\"description\":null,\"ttl\":null,\"max_value_size\":null,"
                + "\"replicas\":null,\"storage\":null,\"mirror\":null}", ConfigShape.BACKUP)
                .toConfig(ConfigShape.BACKUP);
        assertThat(c).isEqualTo(BucketConfig.builder("B").history(3).build());
        // Any scalar reads as text, as JsonNode.asText() does; an object as "".
        c = read("{\"name\":\"B\",\"history\":3,\"description\":12,\"storage\":\"MEMORY\",\"mirror\":{}}",
                ConfigShape.BACKUP).toConfig(ConfigShape.BACKUP);
        assertThat(c.description()).isEqualTo("12");
        assertThat(c.storage()).isEqualTo(StorageType.MEMORY);
        assertThat(c.mirror()).isNull();
    }

    @Test
    void aBackupNamesWhatIsWrong() {
        assertThatThrownBy(() -> read("{\"history\":3}", ConfigShape.BACKUP))
                .isInstanceOf(JsonProcessingException.class).hasMessageStartingWith("name is missing or not a string");
        assertThatThrownBy(() -> read("{\"name\":\"B\",\"history\":\"3\"}", ConfigShape.BACKUP))
                .hasMessageStartingWith("history is missing or not a whole number");
        assertThatThrownBy(() -> read("{\"name\":\"B\",\"history\":3,\"replicas\":1.5}", ConfigShape.BACKUP))
                .hasMessageStartingWith("replicas is missing or not a whole number");
        assertThatThrownBy(() -> read("{\"name\":\"B\",\"history\":3,\"max_value_size\":99999999999999999999}",
                ConfigShape.BACKUP)).hasMessageStartingWith("max_value_size is missing or not a whole number");
        assertThatThrownBy(() -> read("{\"name\":\"B\",\"history\":4294967296}", ConfigShape.BACKUP))
                .hasMessageStartingWith("history is out of range");
        assertThatThrownBy(() -> read("{\"name\":\"B\",\"history\":3,\"ttl\":\"soon\"}", ConfigShape.BACKUP)
                .toConfig(ConfigShape.BACKUP)).isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("ttl: ");
        assertThatThrownBy(() -> read("{\"name\":\"B\",\"history\":3,\"storage\":\"disk\"}", ConfigShape.BACKUP)
                .toConfig(ConfigShape.BACKUP)).isInstanceOf(InvalidConfigException.class)
                .hasMessage("storage \"disk\" is not file or memory");
    }

    @Test
    void theLogShapeReadsAsARecordBinding() throws IOException {
        ConfigValues v = read("{\"name\":\"B\",\"history\":\"3\",\"replicas\":1,\"name\":\"C\"}", ConfigShape.LOG);
        assertThat(v.version()).isZero();
        assertThat(v.toConfig(ConfigShape.LOG)).isEqualTo(BucketConfig.builder("C").history(3).build());
        // A missing number is zero, which no history may be.
        assertThatThrownBy(() -> read("{\"name\":\"B\",\"replicas\":1}", ConfigShape.LOG).toConfig(ConfigShape.LOG))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("history");
        assertThatThrownBy(() -> read("{\"name\":[],\"history\":1}", ConfigShape.LOG))
                .isInstanceOf(JsonProcessingException.class);
    }
}
