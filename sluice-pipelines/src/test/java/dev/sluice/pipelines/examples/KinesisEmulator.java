package dev.sluice.pipelines.examples;

import dev.sluice.local.EmbeddedKinesis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Kinesis emulator of one test class, started before its tests and stopped after them (left running, it would
 * hold the test JVM's exit): {@code @RegisterExtension static final KinesisEmulator KINESIS = new KinesisEmulator();}
 */
final class KinesisEmulator implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKinesis emulator;

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator = EmbeddedKinesis.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        emulator.close();
    }

    EmbeddedKinesis get() {
        return emulator;
    }
}
