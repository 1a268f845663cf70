package dev.tend.kv.nats;

import dev.tend.kv.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading and comparing the versions servers report, and refusing servers older than Tend supports. */
class NatsServerVersionTest {

    @Test
    void releasesAndPreReleasesParse() {
        assertThat(NatsServerVersion.parse("2.9.10")).contains(new NatsServerVersion(2, 9, 10));
        assertThat(NatsServerVersion.parse("v2.11.0-RC.1")).contains(new NatsServerVersion(2, 11, 0));
        assertThat(NatsServerVersion.parse(" 2.10.3+build ")).contains(new NatsServerVersion(2, 10, 3));
    }

    @Test
    void whatIsNotAVersionDoesNotParse() {
        assertThat(NatsServerVersion.parse("2.9")).isEmpty();
        assertThat(NatsServerVersion.parse("garbage")).isEmpty();
        assertThat(NatsServerVersion.parse("")).isEmpty();
        assertThat(NatsServerVersion.parse(null)).isEmpty();
        assertThat(NatsServerVersion.parse("2.9.x")).isEmpty();
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        NatsServerVersion v2_9_10 = new NatsServerVersion(2, 9, 10);
        assertThat(v2_9_10.atLeast(NatsServerVersion.MINIMUM)).isTrue();
        assertThat(new NatsServerVersion(2, 10, 0).compareTo(v2_9_10)).isPositive();
        assertThat(new NatsServerVersion(2, 9, 9).compareTo(v2_9_10)).isNegative();
        assertThat(new NatsServerVersion(3, 0, 0).atLeast(NatsServerVersion.PER_MESSAGE_TTL)).isTrue();
        assertThat(v2_9_10.atLeast(NatsServerVersion.MULTI_FILTER_CONSUMERS)).isFalse();
        assertThat(new NatsServerVersion(2, 8, 4).atLeast(NatsServerVersion.MINIMUM)).isFalse();
    }

    @Test
    void anOlderServerIsRefusedNamingBothVersions() {
        assertThatThrownBy(() -> NatsServerVersion.require("2.8.4", "nats://127.0.0.1:4222"))
                .isInstanceOf(StoreException.class)
                .hasMessage("the NATS server at nats://127.0.0.1:4222 is version 2.8.4; Tend needs 2.9.0 or newer"
                        + " (it reads with direct get)");
    }

    @Test
    void supportedAndUnreadableVersionsAreLetThrough() {
        assertThat(NatsServerVersion.require("2.9.0", "x")).contains(NatsServerVersion.MINIMUM);
        assertThat(NatsServerVersion.require("custom-build", "x")).isEmpty();
    }
}
