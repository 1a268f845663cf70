package dev.tend.machine.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.ServiceConfigurationError;

/**
 * Shortens the start of a process that makes one {@link ControlClient} request and exits ({@code tend machine list},
 * {@code info}, {@code transition}): what the JDK does before its first Unix-domain connection, started early and
 * mostly beside the caller's own work.
 * <ul>
 *   <li>The selector provider: without the {@code java.nio.channels.spi.SelectorProvider} system property the JDK
 *   looks for a provider on the class path first, which opens the jar and reads its index of entries (tend.jar has
 *   about 3,300), then uses its built-in one, on Linux {@code sun.nio.ch.EPollSelectorProvider}. Where that class
 *   exists and the property is not set, {@link #begin} names it, which skips the search; the provider is the same
 *   one.</li>
 *   <li>The Unix-domain socket support ({@code sun.nio.ch.UnixDomainSockets}) initialises on first use: it reads the
 *   network and security configuration files, loads the security providers and makes a {@code SecureRandom}, and loads
 *   the network libraries. {@link #begin} opens (and closes) an unconnected Unix-domain channel on a daemon thread
 *   of its own ({@value #THREAD}), so that runs while the caller builds its command and request; a connection made
 *   meanwhile waits for that initialisation, as the JVM makes every user of a class wait for its initialiser.</li>
 * </ul>
 * Nothing here changes what a request does or how it fails: a failure of the early open is ignored (the connection
 * reports its own).
 */
public final class ClientStartup {
    /** The thread of the early open. */
    static final String THREAD = "tend-socket-startup";
    private static final String PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";
    private static final String LINUX_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    private ClientStartup() {
    }

    /** Starts the above; returns at once. Call it once, before the first connection. */
    public static void begin() {
        if (System.getProperty(PROVIDER_PROPERTY) == null && System.getProperty("os.name", "").startsWith("Linux")
                && builtIn(LINUX_PROVIDER)) {
            System.setProperty(PROVIDER_PROPERTY, LINUX_PROVIDER);
        }
        Thread t = new Thread(new EarlyOpen(), THREAD);
        t.setDaemon(true);
        t.start();
    }

    /** True when the JDK has the class (looked up, not initialised). */
    private static boolean builtIn(String name) {
        try {
            Class.forName(name, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Opens and closes an unconnected Unix-domain channel. A class rather than a lambda: no bootstrap. */
    private static final class EarlyOpen implements Runnable {
        @Override
        public void run() {
            try {
                SocketChannel.open(StandardProtocolFamily.UNIX).close();
            } catch (IOException | RuntimeException | ServiceConfigurationError e) {
                // The request's own connection reports whatever is wrong.
            }
        }
    }
}
