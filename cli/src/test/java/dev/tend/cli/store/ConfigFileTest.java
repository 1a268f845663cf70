package dev.tend.cli.store;

import dev.tend.kv.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.nodes.MappingNode;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The config file reader: each bad input is one line naming the file and line, as machine files are reported. */
class ConfigFileTest {

    @TempDir
    Path tmp;

    private Path file() {
        return tmp.resolve("tend.yaml");
    }

    private void write(String yaml) throws IOException {
        Files.writeString(file(), yaml);
    }

    private void refused(String message) {
        assertThatThrownBy(() -> ConfigFile.read(file())).isInstanceOf(InvalidInputException.class)
                .hasMessage("cannot read the config file " + file() + message);
    }

    @Test
    void aDuplicateKeyIsRefusedWithBothLines() throws IOException {
        write("store: /a\n# the later one\nstore: /b\n");
        refused(":3: duplicate key \"store\" (first on line 1)");
    }

    @Test
    void aDuplicateKeyInsideNatsIsRefusedToo() throws IOException {
        write("nats:\n  user: a\n  tls:\n    ca: x.pem\n    ca: y.pem\n");
        refused(":5: duplicate key \"ca\" (first on line 4)");
    }

    @Test
    void utf16AndUtf32AreRefusedSayingToSaveAsUtf8() throws IOException {
        for (String encoding : List.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE")) {
            Files.write(file(), "\uFEFFstore: /a\n".getBytes(Charset.forName(encoding)));
            String name = encoding.substring(0, 6);
            assertThatThrownBy(() -> ConfigFile.read(file())).as(encoding)
                    .hasMessage("cannot read the config file " + file() + ":1: the file is " + name + " text (it starts"
                            + " with a " + name + " byte-order mark); save it as UTF-8");
        }
    }

    @Test
    void aUtf8ByteOrderMarkIsAccepted() throws IOException {
        write("\uFEFFstore: /a\n");
        assertThat(StoreLocator.setting(file(), "store", "a URL")).isEqualTo("/a");
    }

    @Test
    void otherBytesThanUtf8AreRefusedWithTheirLine() throws IOException {
        Files.write(file(), "store: /a\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        refused(":2: the file is not UTF-8 text");
    }

    @Test
    void syntaxErrorsAreOneLineWithTheirLine() throws IOException {
        write("store: /a\nnats: [unclosed\n");
        refused(":3: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
        write("store: /a\n---\nstore: /b\n");
        refused(":2: invalid YAML: expected a single document in the stream: but found another document");
        write("store: /a\u0007\n");
        refused(":1: invalid YAML: the character U+0007 is not allowed");
    }

    @Test
    void aFileOverTheLimitIsRefusedUnread() throws IOException {
        Files.write(file(), new byte[64 * 1024 + 1]);
        refused(": 65537 bytes is over the 64 KiB limit for a config file");
    }

    @Test
    void aMissingOrEmptyFileIsNoDocument() throws IOException {
        assertThat(ConfigFile.read(file())).isEmpty();
        write("# only a comment\n");
        assertThat(ConfigFile.read(file())).isEmpty();
        write("~\n");
        assertThat(ConfigFile.read(file())).isEmpty();
        write("store: /a\n");
        assertThat(ConfigFile.read(file())).get().isInstanceOf(MappingNode.class);
    }

    @Test
    void theSettingsReadersUseIt() throws IOException {
        write("store: /a\nstore: /b\n");
        assertThatThrownBy(() -> new StoreLocator(Map.of("HOME", tmp.toString()), file(), tmp.resolve("none"))
                .select(null)).hasMessage("cannot read the config file " + file() + ":2: duplicate key \"store\""
                + " (first on line 1)");
        assertThatThrownBy(() -> NatsConfigFile.read(file(), w -> { })).hasMessage("cannot read the config file "
                + file() + ":2: duplicate key \"store\" (first on line 1)");
    }

    @Test
    void aFileOfCommentsAloneIsNotParsedButStillChecked() throws IOException {
        assertThat(ConfigFile.onlyComments(Files.readString(Path.of("src/main/dist/tend.yaml")))).isTrue();
        assertThat(ConfigFile.onlyComments("\uFEFF# a\n\n   \t# b\r\n")).isTrue();
        assertThat(ConfigFile.onlyComments("# a\nstore: /x # b\n")).isFalse();
        assertThat(ConfigFile.onlyComments("%YAML 1.1\n")).isFalse();
        Path comments = tmp.resolve("comments.yaml");
        Files.write(comments, new byte[] {'#', ' ', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> ConfigFile.read(comments)).isInstanceOf(InvalidInputException.class);
    }
}
