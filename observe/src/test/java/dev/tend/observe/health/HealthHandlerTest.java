package dev.tend.observe.health;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HealthHandlerTest {

    private static String json(HealthHandler.Report r) {
        return new String(r.json(), StandardCharsets.UTF_8);
    }

    @Test
    void healthyWhenEveryCheckPasses() {
        HealthHandler.Report r = new HealthHandler(List.of(new HealthCheck("store", Optional::empty),
                new HealthCheck("machines", Optional::empty))).report();
        assertThat(r.healthy()).isTrue();
        assertThat(json(r)).isEqualTo("{\"status\":\"ok\",\"checks\":{\"store\":{\"ok\":true},"
                + "\"machines\":{\"ok\":true}}}\n");
    }

    @Test
    void unhealthyNamingEachFailedCheck() {
        HealthHandler.Report r = new HealthHandler(List.of(
                new HealthCheck("store", () -> Optional.of("cannot reach \"/srv/kv\"")),
                new HealthCheck("machines", Optional::empty),
                new HealthCheck("listener", () -> {
                    throw new IllegalStateException("gone");
                }))).report();
        assertThat(r.healthy()).isFalse();
        assertThat(json(r)).isEqualTo("{\"status\":\"unhealthy\",\"reason\":\"store: cannot reach \\\"/srv/kv\\\"; "
                + "listener: gone\",\"checks\":{\"store\":{\"ok\":false,\"reason\":\"cannot reach \\\"/srv/kv\\\"\"},"
                + "\"machines\":{\"ok\":true},\"listener\":{\"ok\":false,\"reason\":\"gone\"}}}\n");
    }
}
