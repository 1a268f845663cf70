package dev.tend.machine.load;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** The machine fixtures under src/test/resources/machines. */
final class Fixtures {

    private Fixtures() {
    }

    static Path valid(String name) {
        return resource("machines/valid/" + name);
    }

    static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(Fixtures.class.getClassLoader().getResource(name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
