package dev.tend.watchers.metric;

import dev.tend.watchers.prometheus.Exposition;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Graphite's plaintext protocol over TCP: one connection per result, one line {@code PREFIX.NAME VALUE TIME} a metric
 * (the value with six decimals, the time in unix seconds), and {@code PREFIX.runtime}, the command's duration in
 * seconds, as the reference sends them.
 */
final class Graphite {

    private Graphite() {
    }

    /** The lines for one result, sorted by name. */
    static String lines(String prefix, Map<String, Double> metrics, double runtimeSeconds, long time) {
        Map<String, Double> all = new TreeMap<>(metrics);
        all.put("runtime", runtimeSeconds);
        StringBuilder s = new StringBuilder();
        all.forEach((name, value) -> s.append(prefix).append('.').append(name).append(' ')
                .append(Exposition.value(value)).append(' ').append(time).append('\n'));
        return s.toString();
    }

    /**
     * Connects (within {@code connectTimeout}), writes the lines and closes. Blocks.
     *
     * @throws IOException when Graphite cannot be reached or the lines cannot be written
     */
    static void send(String host, int port, String lines, Duration connectTimeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, connectTimeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            out.write(lines.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
