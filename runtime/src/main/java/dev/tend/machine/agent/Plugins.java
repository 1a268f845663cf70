package dev.tend.machine.agent;

import dev.tend.machine.WatcherRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;

/**
 * Watcher plugins: every {@code *.jar} in the plugins directory, loaded with one {@link URLClassLoader} whose parent
 * knows the built-in watchers, and the {@link WatcherRegistry} of both (a built-in type wins over a plugin's of the same
 * name). A missing directory means no plugins. Close it when the machines using it are stopped.
 */
public final class Plugins implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    private final List<Path> jars;
    private final URLClassLoader loader;
    private final WatcherRegistry registry;

    private Plugins(List<Path> jars, URLClassLoader loader, WatcherRegistry registry) {
        this.jars = List.copyOf(jars);
        this.loader = loader;
        this.registry = registry;
    }

    /**
     * @param directory the plugins directory; may be missing
     * @param parent    the class loader of the built-in watchers and the runtime
     * @throws AgentException when the directory cannot be read or a plugin's watcher factory cannot be created
     */
    public static Plugins load(Path directory, ClassLoader parent) throws AgentException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.jar")) {
                for (Path jar : entries) {
                    if (Files.isRegularFile(jar)) {
                        jars.add(jar.toAbsolutePath());
                    }
                }
            } catch (IOException e) {
                throw new AgentException("cannot read the plugins directory " + directory + ": " + e.getMessage(), e);
            }
        } else if (Files.exists(directory)) {
            throw new AgentException("the plugins directory " + directory + " is not a directory");
        }
        Collections.sort(jars);
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new AgentException("cannot use the plugin " + jars.get(i) + ": " + e.getMessage(), e);
            }
        }
        URLClassLoader loader = new URLClassLoader("tend-plugins", urls, parent);
        try {
            return new Plugins(jars, loader, WatcherRegistry.load(loader));
        } catch (ServiceConfigurationError e) {
            closeQuietly(loader);
            throw new AgentException("cannot load the watcher plugins in " + directory + ": " + e.getMessage(), e);
        }
    }

    public WatcherRegistry registry() {
        return registry;
    }

    public List<Path> jars() {
        return jars;
    }

    @Override
    public void close() {
        registry.close();
        closeQuietly(loader);
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("closing the plugin class loader: {}", e.toString());
        }
    }
}
