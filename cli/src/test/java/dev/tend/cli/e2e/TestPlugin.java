package dev.tend.cli.e2e;

import dev.tend.machine.testing.TestWatcherFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The runtime's test watcher plugin (type {@code test}) as a jar in a plugins directory, for {@code tend agent
 * --plugins} and {@code tend machine run --plugins}. The runtime's test-jar when Maven packaged it, else a jar made
 * here from its test classes directory.
 */
final class TestPlugin {

    private TestPlugin() {
    }

    /** A plugins directory {@code dir} holding the plugin jar. */
    static Path directory(Path dir) throws IOException, URISyntaxException {
        Files.createDirectories(dir);
        Path source = Path.of(TestWatcherFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("tend-test-watcher.jar");
        if (Files.isRegularFile(source)) {
            Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
        } else {
            jarOf(source, jar);
        }
        return dir;
    }

    private static void jarOf(Path classes, Path jar) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }
}
