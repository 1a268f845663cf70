package dev.tend.kv.nats;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives a test instance the run's NATS server: one {@link NatsServer} per test run, kept in JUnit's root store so
 * it is stopped (and its directory removed) when the run ends. Test classes implement {@link Aware}.
 */
public final class NatsServerExtension implements TestInstancePostProcessor {

    /** A test that needs the server. */
    public interface Aware {
        void natsServer(NatsServer server);
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NatsServer.class);

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        NatsServer server = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", k -> NatsServer.start(), NatsServer.class);
        ((Aware) testInstance).natsServer(server);
    }
}
