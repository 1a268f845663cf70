package dev.tend.machine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default node identity (events' {@code subject}): the host name, unless the settings name one
 * ({@link MachineSettings.Setters#identity}, {@code --identity}).
 */
public final class NodeIdentity {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private NodeIdentity() {
    }

    /**
     * The host name as the kernel has it (no DNS look-up, which can hang on a badly configured node), else what Java
     * resolves, else {@code localhost}.
     */
    public static String hostName() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException e) {
            // Not Linux: ask Java.
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (UnknownHostException e) {
            // Fall through.
        }
        return "localhost";
    }
}
