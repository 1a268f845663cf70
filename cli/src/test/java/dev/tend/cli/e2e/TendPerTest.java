package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** For a test class whose tests each run {@code tend} in a temporary directory of their own: its {@link Tend}. */
abstract class TendPerTest {

    @TempDir
    Path tmp;

    Tend tend;

    @BeforeEach
    void startTend() throws Exception {
        tend = new Tend(tmp);
    }

    @AfterEach
    void closeTend() {
        tend.close();
    }
}
