package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static dev.tend.cli.e2e.Tend.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend kv watch} while an operator removes the embedded store's directory and creates the bucket again
 * ({@code rm -rf /var/lib/tend/kv; tend kv add CFG}): the watch must not go on reading the deleted files in silence.
 * It ends with exit 3 and one line, where {@code tend kv rm} ends it with exit 0 (SeedSessionIT).
 */
class WatchReplacedStoreIT {

    @TempDir
    Path tmp;
    private Tend tend;

    @BeforeEach
    void setUp() throws IOException {
        tend = new Tend(tmp);
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    /** {@code rm -rf}: every file, then every directory, deepest first. */
    private static void removeTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String read(Tend.Background watch) {
        try {
            return watch.out();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aWatchWhoseStoreIsRemovedAndCreatedAgainEndsWithExit3AndOneLine() throws Exception {
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "username", "first"));
        Tend.Background watch = tend.start("kv", "watch", "CFG");
        Tend.eventually("the watch's first line", () -> read(watch).contains("PUT CFG.username: first"));

        removeTree(tend.store());
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "username", "second"));
        Tend.Result r = watch.await();

        assertThat(r.code()).as(r.describe()).isEqualTo(3);
        assertThat(r.err()).as(r.describe()).isEqualTo("tend: bucket CFG was removed or replaced while watching\n");
        assertThat(r.out()).as("nothing of the new bucket, nor of the old after it went").hasLineCount(1)
                .contains("PUT CFG.username: first");
    }
}
