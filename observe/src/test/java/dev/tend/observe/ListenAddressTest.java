package dev.tend.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenAddressTest {

    @Test
    void readsHostAndPort() {
        assertThat(ListenAddress.parse("0.0.0.0:9100")).isEqualTo(new ListenAddress("0.0.0.0", 9100));
        assertThat(ListenAddress.parse("node-1.example:80")).isEqualTo(new ListenAddress("node-1.example", 80));
        assertThat(ListenAddress.parse("[::1]:9100")).isEqualTo(new ListenAddress("::1", 9100));
        assertThat(ListenAddress.parse(" 127.0.0.1:0 ")).isEqualTo(new ListenAddress("127.0.0.1", 0));
    }

    @Test
    void noHostIsTheLoopbackAddress() {
        assertThat(ListenAddress.parse(":9100")).isEqualTo(ListenAddress.loopback(9100));
        assertThat(ListenAddress.parse("9100")).isEqualTo(ListenAddress.loopback(9100));
    }

    @Test
    void writesWhatItReads() {
        for (String s : new String[]{"127.0.0.1:9100", "[::1]:80", "localhost:0"}) {
            assertThat(ListenAddress.parse(s).toString()).isEqualTo(s);
        }
    }

    @Test
    void refusesWithOneLineNamingTheValue() {
        for (String bad : new String[]{"", " ", "localhost", "localhost:", "127.0.0.1:65536", "127.0.0.1:-1",
                "127.0.0.1:http", "::1:9100", "[::1]9100", "[::1", "bad host:9100", "h/x:1", "1:2:3",
                "127.0.0.1:999999"}) {
            assertThatThrownBy(() -> ListenAddress.parse(bad)).as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("HOST:PORT"));
        }
    }
}
