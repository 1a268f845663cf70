package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.StorageType;
import dev.tend.kv.support.ConfigValues;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jackson-free reader of the log header's config JSON accepts exactly what {@link ConfigFile#toJson} writes for
 * plain-ASCII configs and reads it as Jackson does; anything else (any edit of those bytes) it leaves to Jackson.
 */
class CompactConfigJsonTest {

    @Provide
    Arbitrary<BucketConfig> configs() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ019_-").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> descriptions = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(30),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(10));
        Arbitrary<Long> ttls = Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.longs().between(100_000_000L, Duration.ofDays(3650).toNanos()));
        Arbitrary<Long> limits = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(1, 1L << 50));
        return Combinators.combine(names, descriptions, Arbitraries.integers().between(1, 64), ttls, limits, limits,
                        Arbitraries.of(StorageType.class))
                .as((n, d, h, ttl, mv, mb, st) -> BucketConfig.builder(n).description(d).history(h)
                        .ttl(Duration.ofNanos(ttl)).maxValueSize(mv).maxBucketSize(mb).storage(st).build());
    }

    @Property(tries = 300)
    void readsEveryPlainHeaderAsJacksonDoesAndLeavesTheRestToIt(@ForAll("configs") BucketConfig c) throws IOException {
        byte[] json = ConfigFile.toJson(c);
        ConfigValues compact = CompactConfigJson.parse(json);
        boolean plain = c.description().chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e && ch != '"' && ch != '\\');
        if (plain) {
            assertThat(compact).as(new String(json, StandardCharsets.UTF_8)).isNotNull()
                    .isEqualTo(ConfigFile.parseWithJackson(json));
            assertThat(ConfigFile.fromJson(json, "x")).isEqualTo(c);
        } else {
            assertThat(compact).as(new String(json, StandardCharsets.UTF_8)).isNull();
        }
    }

    /** One edit of the bytes: replace, insert or delete one byte. */
    record Edit(int kind, int at, byte b) {
        byte[] apply(byte[] in) {
            int i = Math.floorMod(at, in.length + 1);
            return switch (kind) {
                case 0 -> {
                    byte[] out = in.clone();
                    out[Math.min(i, in.length - 1)] = b;
                    yield out;
                }
                case 1 -> {
                    byte[] out = new byte[in.length + 1];
                    System.arraycopy(in, 0, out, 0, i);
                    out[i] = b;
                    System.arraycopy(in, i, out, i + 1, in.length - i);
                    yield out;
                }
                default -> {
                    int d = Math.min(i, in.length - 1);
                    byte[] out = new byte[in.length - 1];
                    System.arraycopy(in, 0, out, 0, d);
                    System.arraycopy(in, d + 1, out, d, in.length - d - 1);
                    yield out;
                }
            };
        }
    }

    @Provide
    Arbitrary<Edit> edits() {
        Arbitrary<Byte> bytes = Arbitraries.oneOf(Arbitraries.of((byte) ' ', (byte) '0', (byte) '-', (byte) '"',
                (byte) '\\', (byte) ',', (byte) '}', (byte) 'e', (byte) '.', (byte) '9', (byte) 0xc3),
                Arbitraries.bytes());
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 400), bytes)
                .as(Edit::new);
    }

    @Property(tries = 2000)
    void anEditedHeaderIsReadAsJacksonReadsItOrLeftToJackson(@ForAll("configs") BucketConfig c,
                                                             @ForAll("edits") Edit edit) {
        byte[] json = edit.apply(ConfigFile.toJson(c));
        ConfigValues compact = CompactConfigJson.parse(json);
        ConfigValues jackson;
        try {
            jackson = ConfigFile.parseWithJackson(json);
        } catch (IOException e) {
            assertThat(compact).as("Jackson refuses %s", new String(json, StandardCharsets.ISO_8859_1)).isNull();
            return;
        }
        if (compact != null) {
            assertThat(compact).as(new String(json, StandardCharsets.ISO_8859_1)).isEqualTo(jackson);
        }
    }

    @Property(tries = 50)
    void leavesEveryOtherShapeToJackson(@ForAll @IntRange(min = 0, max = 11) int which) {
        String base = "{\"format\":1,\"name\":\"CFG\",\"description\":\"\",\"history\":5,\"ttl_nanos\":0,"
                + "\"max_value_size\":-1,\"max_bucket_size\":-1,\"replicas\":1,\"storage\":\"file\"}";
        assertThat(CompactConfigJson.parse(base.getBytes(StandardCharsets.US_ASCII))).isNotNull();
        String[] others = {
            base.replace("{", "{ "),
            base.replace(":5,", ":05,"),
            base.replace("\"ttl_nanos\":0", "\"ttl_nanos\":-0"),
            base.replace(":5,", ":\"5\","),
            base.replace("\"history\":5,", "\"history\":5,\"extra\":1,"),
            base.replace("\"storage\":\"file\"", "\"storage\":null"),
            base.replace("\"CFG\"", "\"C\\u0046G\""),
            base + " ",
            base.substring(0, base.length() - 1),
            base.replace("\"history\":5", "\"history\":12345678901234567890"),
            base.replace("\"format\":1,\"name\":\"CFG\"", "\"name\":\"CFG\",\"format\":1"),
            base.replace("\"history\":5", "\"history\":5.0"),
        };
        byte[] other = others[which].getBytes(StandardCharsets.US_ASCII);
        assertThat(CompactConfigJson.parse(other)).as(others[which]).isNull();
        assertThat(Arrays.equals(other, base.getBytes(StandardCharsets.US_ASCII))).isFalse();
    }
}
