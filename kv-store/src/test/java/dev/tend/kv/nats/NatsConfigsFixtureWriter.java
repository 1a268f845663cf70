package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.compat.CompatFixtureWriter;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StreamInfo;
import io.nats.client.support.JsonParser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code compat/nats/backing-stream-configs.jsonl}: for each of {@link #CONFIGS}, the JetStream stream config
 * (jnats' JSON) that {@link NatsConfigs#toNats} makes of it. The committed file was written against commit 3318ee0.
 */
public final class NatsConfigsFixtureWriter {

    public static final List<BucketConfig> CONFIGS;

    static {
        List<BucketConfig> all = new ArrayList<>(CompatFixtureWriter.EMBEDDED_CONFIGS);
        all.add(CompatFixtureWriter.ORIGIN);
        all.add(CompatFixtureWriter.MIRROR);
        all.add(BucketConfig.builder("R3").replicas(3).history(2).ttl(Duration.ofSeconds(1))
                .maxValueSize(5L * Integer.MAX_VALUE).build());
        CONFIGS = List.copyOf(all);
    }

    private NatsConfigsFixtureWriter() {
    }

    /** The status jnats would report for a stream with this config (what fromNats reads). */
    static KeyValueStatus status(String streamConfigJson) throws Exception {
        return new KeyValueStatus(new StreamInfo(JsonParser.parse("{\"config\":" + streamConfigJson + "}")));
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).resolve("nats");
        Files.createDirectories(out);
        StringBuilder lines = new StringBuilder();
        for (BucketConfig c : CONFIGS) {
            String json = NatsConfigs.toNats(c).getBackingConfig().toJson();
            BucketConfig back = NatsConfigs.fromNats(status(json));
            // The one difference the mapping has on purpose: JetStream's max message size is 32 bits.
            BucketConfig expected = c.maxValueSize() > Integer.MAX_VALUE
                    ? c.toBuilder().maxValueSize(Integer.MAX_VALUE).build() : c;
            if (!back.equals(expected)) {
                throw new AssertionError(c + " came back as " + back);
            }
            lines.append(json).append('\n');
        }
        Files.writeString(out.resolve("backing-stream-configs.jsonl"), lines, StandardCharsets.UTF_8);
    }
}
