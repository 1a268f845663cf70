package dev.tend.watchers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineSchema;
import dev.tend.machine.spi.WatcherFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schema shipped in the project for editors, {@code docs/machine.schema.json}, is the one generated from the
 * built-in watcher types: a watcher that gains, loses or changes a property fails this test until the file is
 * regenerated ({@code mvn -pl watchers test -Dtest=BuiltInSchemaTest -Dtend.updateSchema}).
 */
class BuiltInSchemaTest {

    private static final Path SHIPPED = Path.of("..", "docs", "machine.schema.json");

    /** The types this module registers (the test class path also holds the runtime's test plugin). */
    private static WatcherRegistry builtIns() {
        return WatcherRegistry.of(ServiceLoader.load(WatcherFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.getClass().getPackageName().startsWith("dev.tend.watchers."))
                .collect(Collectors.toList()));
    }

    @Test
    void everyBuiltInTypeIsRegistered() {
        assertThat(builtIns().types()).containsExactly("archive", "exec", "expression", "file", "kv", "machines",
                "metric", "nagios", "plugins", "schedule", "timer");
    }

    @Test
    void theShippedSchemaIsTheGeneratedOne() throws Exception {
        String generated = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(MachineSchema.of(builtIns())) + "\n";
        if (System.getProperty("tend.updateSchema") != null) {
            Files.writeString(SHIPPED, generated, StandardCharsets.UTF_8);
        }
        assertThat(SHIPPED).as("docs/machine.schema.json is out of date: regenerate it with "
                + "mvn -pl watchers test -Dtest=BuiltInSchemaTest -Dtend.updateSchema").exists();
        assertThat(Files.readString(SHIPPED, StandardCharsets.UTF_8))
                .as("docs/machine.schema.json is out of date: regenerate it with "
                        + "mvn -pl watchers test -Dtest=BuiltInSchemaTest -Dtend.updateSchema")
                .isEqualTo(generated);
    }
}
