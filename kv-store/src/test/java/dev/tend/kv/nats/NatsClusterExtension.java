package dev.tend.kv.nats;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives a test instance a three-node {@link NatsCluster} of its own class: started for the class's first instance,
 * kept in the class's store and closed (processes stopped, directories removed) when the class is done. A cluster
 * is not shared between classes, so a class that kills nodes cannot leave another one a broken cluster. Test
 * classes implement {@link Aware}.
 */
public final class NatsClusterExtension implements TestInstancePostProcessor {

    /** A test that needs the cluster. */
    public interface Aware {
        void natsCluster(NatsCluster cluster);
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NatsCluster.class);

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        NatsCluster cluster = classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("cluster", k -> NatsCluster.start(), NatsCluster.class);
        ((Aware) testInstance).natsCluster(cluster);
    }
}
