package dev.tend.machine.input;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Utf8TextTest {

    @Test
    void utf8WithOrWithoutItsByteOrderMark() throws Exception {
        assertThat(Utf8Text.decode("caf\u00e9: 1\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("caf\u00e9: 1\n");
        assertThat(Utf8Text.decode("\uFEFFa: 1\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("a: 1\n");
        assertThat(Utf8Text.decode(new byte[0])).isEmpty();
    }

    @Test
    void theOtherEncodingsOfYamlAreRefusedNamingTheEncoding() {
        for (String encoding : new String[]{"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
            byte[] bytes = "\uFEFFa: 1\n".getBytes(Charset.forName(encoding));
            String name = encoding.substring(0, 6);
            assertThatThrownBy(() -> Utf8Text.decode(bytes)).as(encoding)
                    .isInstanceOfSatisfying(NotUtf8Exception.class, e -> assertThat(e.line()).isEqualTo(1))
                    .hasMessage("the file is " + name + " text (it starts with a " + name + " byte-order mark);"
                            + " save it as UTF-8");
        }
    }

    @Test
    void otherBytesAreRefusedWithTheirLine() {
        byte[] bytes = "a: 1\nb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Utf8Text.decode(bytes))
                .isInstanceOfSatisfying(NotUtf8Exception.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessage("the file is not UTF-8 text");
    }
}
