package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad config file, end to end: the real {@code tend kv ls} reading the user's {@code tend.yaml} (at
 * {@code $XDG_CONFIG_HOME/tend/tend.yaml}, {@code TEND_STORE} empty) stops with exit 2 and one {@code tend:} line
 * naming the file and line, and nothing else on stderr (SnakeYAML logged two lines of its own for a duplicate key).
 */
class ConfigFileIT {

    @TempDir
    Path tmp;

    private Tend tend;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        tend = Tend.on(Tend.Backend.EMBEDDED, tmp);
        config = tmp.resolve("home/.config/tend/tend.yaml");
        Files.createDirectories(config.getParent());
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    /** {@code tend kv ...} choosing its store from the config files: an empty {@code TEND_STORE} counts as unset. */
    private Tend.Result kv(String... args) throws Exception {
        Map<String, String> env = Map.of("TEND_STORE", "");
        String[] command = new String[args.length + 1];
        command[0] = "kv";
        System.arraycopy(args, 0, command, 1, args.length);
        return tend.run(null, env, command);
    }

    @Test
    void aDuplicateKeyIsOneLineWithItsLine() throws Exception {
        Files.writeString(config, "store: " + tmp.resolve("a") + "\nstore: " + tmp.resolve("b") + "\n");
        Tend.Result r = kv("ls");
        assertThat(r.code()).as(r.describe()).isEqualTo(2);
        assertThat(r.err()).as(r.describe()).isEqualTo("tend: cannot read the config file " + config
                + ":2: duplicate key \"store\" (first on line 1)\n");
        assertThat(r.out()).as(r.describe()).isEmpty();
    }

    @Test
    void aUtf16FileIsOneLineSayingToSaveItAsUtf8() throws Exception {
        Files.write(config, ("\uFEFFstore: " + tmp.resolve("a") + "\n").getBytes(StandardCharsets.UTF_16LE));
        Tend.Result r = kv("ls");
        assertThat(r.code()).as(r.describe()).isEqualTo(2);
        assertThat(r.err()).as(r.describe()).isEqualTo("tend: cannot read the config file " + config
                + ":1: the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8\n");
        assertThat(r.out()).as(r.describe()).isEmpty();
    }

    @Test
    void aUtf8ByteOrderMarkIsAccepted() throws Exception {
        Files.writeString(config, "\uFEFFstore: " + tmp.resolve("from-config") + "\n");
        Tend.Result r = kv("add", "CFG");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err()).as(r.describe()).isEmpty();
        assertThat(tmp.resolve("from-config/CFG")).as("the store the file names").isDirectory();
    }
}
