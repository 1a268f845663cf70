package dev.tend.machine.spi;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docs/plugins.md's example, taken from the page: every code block introduced by its file name is written to a project
 * directory, the plugin is compiled and jarred from it, loaded as the agent loads plugins, and its machine watches a
 * port on the loopback interface, with time moved by hand.
 */
class PluginGuideTest {

    private static final Path GUIDE = Path.of("../docs/plugins.md");
    /** A line {@code `path`:}, then a fenced block: the file's content. */
    private static final Pattern NAMED_BLOCK = Pattern.compile("(?m)^`([^`\\s]+)`:\\n\\n```[a-z]*\\n(.*?)^```$",
            Pattern.DOTALL);

    @TempDir
    Path tmp;

    @Test
    void theGuidesTcpWatcherBuildsLoadsAndSeesAPortOpenThenClosed() throws Exception {
        Path project = writeExample();
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        PluginJar.build(project.resolve("src/main/java"), project.resolve("src/main/resources"),
                plugins.resolve("tcp-watcher.jar"));
        ManualScheduler scheduler = new ManualScheduler();
        EventRecorder events = new EventRecorder();

        try (Plugins loaded = Plugins.load(plugins, getClass().getClassLoader());
             ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            MachineLoader loader = new MachineLoader(loaded.registry());
            Path machine = project.resolve("web");
            String yaml = Files.readString(machine.resolve("machine.yaml"));
            Files.writeString(machine.resolve("machine.yaml"), yaml.replace("port: 8080",
                    "host: " + server.getInetAddress().getHostAddress() + ", port: " + server.getLocalPort()));
            MachineDefinition definition = loader.load(machine);
            Machine m = Machines.create(definition, MachineEnvironment.builder()
                    .identity("node1")
                    .watchers(loaded.registry())
                    .stateDirectory(tmp.resolve("state"))
                    .events(events)
                    .scheduler(scheduler)
                    .blockingExecutor(Runnable::run)
                    .clock(scheduler.clock())
                    .build());
            try {
                m.start();
                scheduler.runDue();
                assertThat(m.state()).isEqualTo("up");
                assertThat(m.status().watchers().get(0).state()).containsEntry("outcome", "open");

                scheduler.advance(Duration.ofSeconds(10));
                assertThat(m.state()).as("still open: no new transition").isEqualTo("up");
                server.close();
                scheduler.advance(Duration.ofSeconds(10));
                assertThat(m.state()).isEqualTo("down");
                assertThat(events.transitions()).extracting(t -> t.transition()).containsExactly("up", "down");
                assertThat(events.watcherStates()).extracting(w -> w.fields().get("outcome"))
                        .containsExactly("open", "closed");
            } finally {
                m.stop();
            }

            Files.writeString(machine.resolve("machine.yaml"), yaml.replace("port: 8080", "port: 70000"));
            assertThatThrownBy(() -> loader.load(machine)).isInstanceOf(MachineLoadException.class)
                    .hasMessageContaining("must be 1 to 65535, not 70000");
        }
    }

    /** The page's named code blocks, written to a project directory. */
    private Path writeExample() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = NAMED_BLOCK.matcher(Files.readString(GUIDE));
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(List.of("web/machine.yaml",
                "src/main/java/com/example/tcp/TcpWatcherFactory.java", "src/main/java/com/example/tcp/TcpWatcher.java",
                "src/main/resources/META-INF/services/dev.tend.machine.spi.WatcherFactory"));
        Path project = tmp.resolve("project");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = project.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        return project;
    }
}
