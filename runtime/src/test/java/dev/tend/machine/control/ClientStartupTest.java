package dev.tend.machine.control;

import dev.tend.machine.MachineStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ClientStartup} changes nothing a client sees: after it, requests are answered and fail as before, on the
 * JDK's own selector provider (on Linux its epoll one, which the JDK picks itself when the class path names none).
 */
@Timeout(60)
class ClientStartupTest {

    @TempDir
    Path tmp;

    @Test
    void requestsAreAnsweredAndFailAsBefore() throws Exception {
        ClientStartup.begin();
        ClientStartup.begin(); // twice is harmless
        try (ControlTestMachines machines = new ControlTestMachines(tmp.resolve("state"))) {
            machines.add("alpha", tmp.resolve("machines/alpha"));
            try (ControlServer server = ControlServer.start(tmp.resolve("agent.sock"), machines)) {
                ControlClient client = new ControlClient(server.socket());
                assertThat(client.list()).extracting(MachineStatus::name).containsExactly("alpha");
                assertThatThrownBy(() -> client.info("nope")).isInstanceOf(ControlException.class)
                        .extracting(e -> ((ControlException) e).code()).isEqualTo(ControlException.Code.NOT_FOUND);
            }
        }
        assertThatThrownBy(() -> new ControlClient(tmp.resolve("none.sock")).list())
                .isInstanceOf(ControlException.class)
                .hasMessage("no agent is listening on " + tmp.resolve("none.sock") + " (is tend agent running?)");
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(SelectorProvider.provider().getClass().getName()).isEqualTo("sun.nio.ch.EPollSelectorProvider");
        }
    }
}
