package dev.tend.watchers.schedule;

import dev.tend.machine.spi.WatcherFactory;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleRegistrationTest {

    @Test
    void theServiceLoaderFindsTheScheduleTypeAndItsPropertiesAreDescribed() throws Exception {
        ServiceLoader.Provider<WatcherFactory> provider = ServiceLoader.load(WatcherFactory.class).stream()
                .filter(p -> p.type() == ScheduleWatcherFactory.class).findFirst().orElseThrow();
        WatcherFactory factory = provider.get();
        try {
            assertThat(factory.type()).isEqualTo("schedule");
            assertThat(factory.properties()).allSatisfy(p -> assertThat(p.description()).isNotBlank());
            assertThat(factory.properties()).extracting(p -> p.name()).containsExactly("schedules", "duration",
                    "start_splay", "skip_trigger_on_reenter", "timezone", "start_in_window");
        } finally {
            factory.close();
        }
    }
}
