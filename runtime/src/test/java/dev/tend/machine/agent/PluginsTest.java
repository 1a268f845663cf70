package dev.tend.machine.agent;

import dev.tend.machine.spi.WatcherFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginsTest {

    private static final String SERVICES = "META-INF/services/" + WatcherFactory.class.getName();

    @TempDir
    Path tmp;

    /** A plugin jar: the factory's class file and a services file naming {@code serviceLine}. */
    private Path jar(String name, String serviceLine) throws IOException {
        Path jar = Files.createDirectories(tmp.resolve("plugins")).resolve(name);
        String classFile = PluginProbeFactory.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             InputStream bytes = PluginProbeFactory.class.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(SERVICES));
            out.write((serviceLine + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry(classFile));
            bytes.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void aMissingDirectoryMeansNoPlugins() throws Exception {
        try (Plugins plugins = Plugins.load(tmp.resolve("none"), getClass().getClassLoader())) {
            assertThat(plugins.jars()).isEmpty();
            assertThat(plugins.registry().types()).doesNotContain("plugin_probe");
        }
    }

    @Test
    void theJarsWatcherTypesAreRegistered() throws Exception {
        Path jar = jar("probe.jar", PluginProbeFactory.class.getName());
        Files.writeString(tmp.resolve("plugins/readme.txt"), "not a jar: ignored");
        try (Plugins plugins = Plugins.load(tmp.resolve("plugins"), getClass().getClassLoader())) {
            assertThat(plugins.jars()).containsExactly(jar.toAbsolutePath());
            assertThat(plugins.registry().types()).contains("plugin_probe");
            assertThat(plugins.registry().factory("plugin_probe")).get().isInstanceOf(PluginProbeFactory.class);
        }
    }

    @Test
    void aJarNamingAMissingClassIsAClearError() throws Exception {
        jar("broken.jar", "com.example.NoSuchFactory");
        assertThatThrownBy(() -> Plugins.load(tmp.resolve("plugins"), getClass().getClassLoader()))
                .isInstanceOf(AgentException.class)
                .hasMessageStartingWith("cannot load the watcher plugins in " + tmp.resolve("plugins") + ": ")
                .hasMessageContaining("com.example.NoSuchFactory");
    }

    @Test
    void aPluginsPathThatIsAFileIsAnError() throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> Plugins.load(tmp.resolve("file"), getClass().getClassLoader()))
                .isInstanceOf(AgentException.class)
                .hasMessage("the plugins directory " + tmp.resolve("file") + " is not a directory");
    }
}
