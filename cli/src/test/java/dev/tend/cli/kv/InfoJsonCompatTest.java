package dev.tend.cli.kv;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tend kv info --json} and {@code ls --json} print byte for byte what an earlier Tend printed. */
class InfoJsonCompatTest {

    @Test
    void infoAndLsJsonAreUnchanged() throws Exception {
        Path file = Path.of(InfoJsonCompatTest.class.getResource("/compat/info-json.txt").toURI());
        assertThat(InfoJsonFixtureWriter.render()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
