package dev.tend.watchers.file;

import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.WatcherFactory;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class FileRegistrationTest {

    @Test
    void theServiceLoaderFindsTheFileTypeAndItsPropertiesAreDescribed() {
        WatcherFactory factory = ServiceLoader.load(WatcherFactory.class).stream()
                .filter(p -> p.type() == FileWatcherFactory.class).findFirst().orElseThrow().get();
        assertThat(factory.type()).isEqualTo("file");
        assertThat(factory.properties()).allSatisfy(p -> assertThat(p.description()).isNotBlank());
        assertThat(factory.properties()).filteredOn(PropertySpec::isTemplated).extracting(PropertySpec::name)
                .containsExactly("contents", "owner", "group", "mode");
        assertThat(factory.properties()).filteredOn(p -> p.name().equals("contents")).first()
                .satisfies(p -> assertThat(p.aliases()).containsExactly("content"));
    }
}
