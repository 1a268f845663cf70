package dev.tend.kv.nats;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.StoreException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.net.URI;

/**
 * Opens jnats connections the way the NATS store does, for Tend's other NATS users (the agent's event publisher,
 * {@code tend machine events}) so that every connection honours the same URL, credentials, TLS and timeouts.
 */
public final class NatsConnections {

    private NatsConnections() {
    }

    /**
     * Connects to the servers of a {@code nats://host:port[,host:port...]} URL.
     *
     * @throws dev.tend.kv.InvalidInputException when the URL or the options are invalid
     * @throws StoreException when no server can be reached
     */
    public static Connection connect(String url, ConnectionOptions options) {
        return connect(NatsUrl.parse(URI.create(url.strip())), options);
    }

    static Connection connect(NatsUrl url, ConnectionOptions options) {
        Options natsOptions = Options.builder()
                .servers(url.servers().toArray(String[]::new))
                .connectionName(options.name())
                .connectionTimeout(options.connectTimeout())
                .errorListener(new NatsErrorLog())
                .build();
        try {
            return Nats.connect(natsOptions);
        } catch (IOException e) {
            throw new StoreException("cannot connect to NATS at " + url.redacted() + ": " + NatsErrors.oneLine(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while connecting to NATS at " + url.redacted(), e);
        }
    }
}
