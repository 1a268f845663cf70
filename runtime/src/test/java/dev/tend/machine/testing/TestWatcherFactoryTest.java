package dev.tend.machine.testing;

import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.WatcherDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestWatcherFactoryTest {

    private final TestWatcherFactory factory = new TestWatcherFactory();

    private List<String> problems(WatcherDefinition watcher) {
        List<String> found = new ArrayList<>();
        factory.validate(watcher, (property, message) -> found.add(property + ": " + message));
        return found;
    }

    @Test
    void isFoundByTheServiceLoaderAsTypeTest() {
        WatcherRegistry registry = WatcherRegistry.load(getClass().getClassLoader());
        assertThat(registry.factory("test")).get().isInstanceOf(TestWatcherFactory.class);
    }

    @Test
    void itsPropertiesCoverEveryPropertyType() {
        assertThat(factory.properties()).extracting(PropertySpec::type)
                .containsAll(Arrays.asList(PropertyType.values()));
        assertThat(factory.properties()).filteredOn(PropertySpec::isTemplated).extracting(PropertySpec::name)
                .containsExactly("message");
        assertThat(factory.properties()).filteredOn(p -> p.name().equals("mode")).first()
                .satisfies(p -> assertThat(p.allowedValues()).containsExactly("once", "repeat"));
    }

    @Test
    void aValidDefinitionHasNoProblems() {
        assertThat(problems(TestMachines.testWatcher("w").success("go").fail("stop")
                .property("success_after", Duration.ofSeconds(1)).property("fail_after", Duration.ofSeconds(2))
                .property("data_key", "k").property("data_value", 3).property("max_fires", 2L).build())).isEmpty();
    }

    @Test
    void rejectsTimersWithoutTheirTransitionAValueWithoutAKeyAndANegativeLimit() {
        assertThat(problems(TestMachines.testWatcher("w")
                .property("success_after", Duration.ofSeconds(1)).property("fail_after", Duration.ofSeconds(2))
                .property("data_value", "v").property("max_fires", -1L).build())).containsExactly(
                "success_after: needs a success_transition to fire",
                "fail_after: needs a fail_transition to fire",
                "data_value: needs a data_key to store it under",
                "max_fires: must be 0 (no limit) or more, not -1");
    }
}
