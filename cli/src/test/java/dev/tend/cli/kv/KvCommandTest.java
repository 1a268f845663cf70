package dev.tend.cli.kv;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which kv subcommand a command line runs, so only that one is built (start-up time). */
class KvCommandTest {

    private static String chosen(String... args) {
        return KvCommand.chosen(args);
    }

    @Test
    void findsThePlainSubcommand() {
        assertThat(chosen("kv", "get", "CFG", "username", "--raw")).isEqualTo("get");
        assertThat(chosen("--debug", "kv", "put", "CFG", "k", "v")).isEqualTo("put");
        assertThat(chosen("kv", "--store", "/tmp/x", "keys", "CFG")).isEqualTo("keys");
        assertThat(chosen("kv", "--store=/tmp/x", "--debug", "history", "CFG", "k")).isEqualTo("history");
    }

    @Test
    void skipsTheNatsFlagsBeforeTheSubcommand() {
        assertThat(chosen("kv", "--user", "u", "--password=p", "--nats-timeout", "2s", "put", "B", "k", "v"))
                .isEqualTo("put");
        assertThat(chosen("kv", "--tls-ca", "/ca.pem", "--store", "nats://a", "get", "B", "k")).isEqualTo("get");
    }

    @Test
    void mapsAliasesToTheirCommand() {
        assertThat(chosen("kv", "status", "CFG")).isEqualTo("info");
        assertThat(chosen("kv", "list")).isEqualTo("ls");
    }

    @Test
    void needsTheWholeTreeForHelpAndMistakes() {
        assertThat(chosen()).isNull();
        assertThat(chosen("kv")).isNull();
        assertThat(chosen("kv", "--help")).isNull();
        assertThat(chosen("help", "kv")).isNull();
        assertThat(chosen("kv", "gett", "CFG")).isNull();
        assertThat(chosen("kv", "--store")).isNull();
        assertThat(chosen("--version")).isNull();
    }
}
