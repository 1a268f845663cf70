package dev.tend.machine.agent;

import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LazyStoreTest {

    @TempDir
    Path tmp;

    @Test
    void opensOnFirstUseOnceAndClosesWhatItOpened() {
        AtomicInteger opened = new AtomicInteger();
        LazyStore lazy = new LazyStore(() -> {
            opened.incrementAndGet();
            return KvStore.open(tmp.resolve("kv").toString());
        });
        assertThat(lazy.isOpen()).isFalse();
        assertThat(opened).hasValue(0);
        KvStore first = lazy.get();
        assertThat(lazy.get()).isSameAs(first);
        assertThat(opened).hasValue(1);
        lazy.close();
        assertThat(lazy.isOpen()).isFalse();
        assertThatThrownBy(lazy::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedOpenIsTriedAgainByTheNextCaller() {
        AtomicInteger attempts = new AtomicInteger();
        LazyStore lazy = new LazyStore(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new StoreException("store unavailable");
            }
            return KvStore.open(tmp.resolve("kv").toString());
        });
        assertThatThrownBy(lazy::get).isInstanceOf(StoreException.class).hasMessage("store unavailable");
        assertThat(lazy.get()).isNotNull();
        assertThat(attempts).hasValue(2);
        lazy.close();
    }

    @Test
    void closingAStoreNeverOpenedDoesNothing() {
        LazyStore lazy = new LazyStore(() -> {
            throw new AssertionError("must not open");
        });
        lazy.close();
        assertThat(lazy.isOpen()).isFalse();
    }
}
