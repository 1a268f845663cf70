package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JetStream stream config made of a bucket config is what an earlier Tend made (src/test/resources/compat, see
 * its README), and reads back as the bucket config.
 */
class NatsConfigsCompatTest {

    @Test
    void streamConfigsAreTheSameAndReadBack() throws Exception {
        Path file = Path.of(NatsConfigsCompatTest.class.getResource("/compat/nats/backing-stream-configs.jsonl")
                .toURI());
        List<String> lines = Files.readAllLines(file);
        List<BucketConfig> configs = NatsConfigsFixtureWriter.CONFIGS;
        assertThat(lines).hasSameSizeAs(configs);
        for (int i = 0; i < configs.size(); i++) {
            BucketConfig c = configs.get(i);
            assertThat(NatsConfigs.toNats(c).getBackingConfig().toJson()).as(c.name()).isEqualTo(lines.get(i));
            BucketConfig expected = c.maxValueSize() > Integer.MAX_VALUE
                    ? c.toBuilder().maxValueSize(Integer.MAX_VALUE).build() : c;
            assertThat(NatsConfigs.fromNats(NatsConfigsFixtureWriter.status(lines.get(i)))).isEqualTo(expected);
        }
    }
}
