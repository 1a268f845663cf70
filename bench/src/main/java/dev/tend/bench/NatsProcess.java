package dev.tend.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A nats-server with JetStream on a free loopback port and a store of its own, stopped on close. */
record NatsProcess(Process process, int port) implements AutoCloseable {
    static NatsProcess start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("nats-server", "-js", "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-sd", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
        Thread.sleep(500); // JetStream is up shortly after the port
        return new NatsProcess(p, port);
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
