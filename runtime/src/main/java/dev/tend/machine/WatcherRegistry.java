package dev.tend.machine;

import dev.tend.machine.spi.WatcherFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The watcher types a runtime knows, by type name. Immutable. Whoever builds a registry closes it when its machines have
 * stopped, so factories can release what they share.
 */
public final class WatcherRegistry implements AutoCloseable {

    private final Map<String, WatcherFactory> factories;

    private WatcherRegistry(Map<String, WatcherFactory> factories) {
        this.factories = Collections.unmodifiableMap(new TreeMap<>(factories));
    }

    /** Exactly these factories (tests, embedding). A type given twice is a programming error. */
    public static WatcherRegistry of(Collection<? extends WatcherFactory> factories) {
        Map<String, WatcherFactory> byType = new TreeMap<>();
        for (WatcherFactory f : factories) {
            WatcherFactory previous = byType.putIfAbsent(f.type(), f);
            if (previous != null) {
                throw new IllegalArgumentException("watcher type \"" + f.type() + "\" is provided by both "
                        + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new WatcherRegistry(byType);
    }

    /** The factories {@link ServiceLoader} finds through {@code loader}; the first of a duplicated type wins. */
    public static WatcherRegistry load(ClassLoader loader) {
        Map<String, WatcherFactory> byType = new TreeMap<>();
        for (WatcherFactory f : ServiceLoader.load(WatcherFactory.class, loader)) {
            byType.putIfAbsent(f.type(), f);
        }
        return new WatcherRegistry(byType);
    }

    public Optional<WatcherFactory> factory(String type) {
        return Optional.ofNullable(factories.get(type));
    }

    public SortedSet<String> types() {
        return new TreeSet<>(factories.keySet());
    }

    public Collection<WatcherFactory> factories() {
        return factories.values();
    }

    /** Closes every factory; one that fails is logged and the others are still closed. */
    @Override
    public void close() {
        for (WatcherFactory f : factories.values()) {
            try {
                f.close();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(WatcherRegistry.class)
                        .warn("closing the {} watcher type failed: {}", f.type(), e.toString());
            }
        }
    }
}
