package dev.tend.kv.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Turns the hand-off on before a test class that needs it; other tests of the JVM pass with it on or off. */
final class HandoffOn implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty("tend.kv.handoff", "true");
    }
}
