package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A bare connection to a control socket: sends any bytes, reads lines. For protocol tests below the client. */
final class RawControlClient implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;

    RawControlClient(Path socket) throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    RawControlClient send(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        return this;
    }

    /** The next line, {@code null} at the end of the stream. */
    String readLine() throws IOException {
        return in.readLine();
    }

    JsonNode readJson() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new IOException("the server closed the connection");
        }
        return MAPPER.readTree(line);
    }

    /** One request line, its one response. */
    static JsonNode exchange(Path socket, String requestLine) throws IOException {
        try (RawControlClient c = new RawControlClient(socket)) {
            return c.send(requestLine + "\n").readJson();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
