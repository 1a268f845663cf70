package dev.tend.machine.spi;

import dev.tend.kv.KvStore;
import org.slf4j.Logger;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds a watcher plugin jar at test time, as a plugin author does: the {@code .java} files under a source directory
 * compiled against the runtime's SPI (and what its signatures name: the store's API, SLF4J), then packed with the
 * resource files. The plugin's classes are on no class path of the tests, so they can only come from the jar.
 */
final class PluginJar {

    private PluginJar() {
    }

    /**
     * @param sources      the {@code .java} files, in directories by package
     * @param resources    files copied into the jar as they lie, e.g. {@code META-INF/services/...}; may be null
     * @param jar          the jar to write
     */
    static Path build(Path sources, Path resources, Path jar) throws IOException {
        Path classes = Files.createDirectories(jar.resolveSibling(jar.getFileName() + ".classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", spiClassPath(),
                "--release", "17", "-Xlint:all,-processing,-options", "-Werror"));
        args.addAll(files(sources, ".java").stream().map(Path::toString).toList());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the tests need a JDK: no Java compiler in " + System.getProperty("java.home"));
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        if (javac.run(null, messages, messages, args.toArray(String[]::new)) != 0) {
            throw new AssertionError("the plugin does not compile:\n" + messages.toString(StandardCharsets.UTF_8));
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            add(j, classes);
            if (resources != null) {
                add(j, resources);
            }
        }
        return jar;
    }

    private static void add(JarOutputStream jar, Path root) throws IOException {
        for (Path file : files(root, "")) {
            jar.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
            Files.copy(file, jar);
            jar.closeEntry();
        }
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** The runtime's classes, the store's API and SLF4J's, wherever the build put them. */
    private static String spiClassPath() {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(WatcherFactory.class, KvStore.class, Logger.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
