package dev.tend.kv.nats;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives a test instance a {@link NatsServer} of its own class: started for the class's first instance, kept in the
 * class's store and stopped (its directory removed) when the class is done. Test classes run side by side, so a
 * server is not shared between classes: a class that lists every bucket cannot see another class's buckets come
 * and go. Test classes implement {@link Aware}.
 */
public final class NatsServerExtension implements TestInstancePostProcessor {

    /** A test that needs the server. */
    public interface Aware {
        void natsServer(NatsServer server);
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NatsServer.class);

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        NatsServer server = classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", k -> NatsServer.start(), NatsServer.class);
        ((Aware) testInstance).natsServer(server);
    }
}
