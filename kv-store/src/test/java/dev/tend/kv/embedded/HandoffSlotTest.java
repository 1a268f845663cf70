package dev.tend.kv.embedded;

import dev.tend.kv.StoreException;
import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.tend.kv.embedded.HandoffRequests.bytes;
import static dev.tend.kv.embedded.HandoffRequests.postRaw;
import static dev.tend.kv.embedded.HandoffRequests.put;
import static dev.tend.kv.embedded.HandoffRequests.seed;
import static dev.tend.kv.embedded.HandoffRequests.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-off's slot table against what a crash, corruption or another pid namespace leaves in it: a slot whose
 * body cannot be decoded is rejected (its requester writes directly) while the round goes on for the others, and no
 * length read from it allocates more than the slot holds; a slot whose owner holds its lock is never taken over,
 * whatever its owner word says (a process of another pid namespace, here a child JVM whose owner word names a pid
 * that does not exist), and its request is served; a table of another boot or format is reset when opened.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(HandoffOn.class)
class HandoffSlotTest {
    private static final String B = "slots";

    @TempDir
    Path root;

    @Test
    void anUndecodableSlotIsRejectedAndTheRoundGoesOnForTheOthers() throws Exception {
        seed(root, B);
        try (SlotTable requester = table(root, B)) {
            // Slot 3: an unknown operation code; slot 4: a count no body can hold; slot 5: a valid request.
            assertThat(requester.claimSlot(3, 11)).isTrue();
            assertThat(requester.claimSlot(4, 12)).isTrue();
            assertThat(requester.claimSlot(5, 13)).isTrue();
            ByteBuffer garbage = requester.body(3).duplicate();
            for (int i = 0; i < 100; i++) {
                garbage.put((byte) (9 + i));
            }
            postRaw(requester, 3, 1, 100);
            postRaw(requester, 4, Integer.MAX_VALUE, SlotTable.BODY_SIZE);
            List<WriteRequest> valid = List.of(put("valid", "v"));
            postRaw(requester, 5, 1, SlotCodec.encodeRequests(requester.body(5), valid));

            try (EmbeddedKvStore s = holder()) {
                long first = s.bucket(B).put("own", bytes("1"));
                long second = s.bucket(B).put("own", bytes("2"));
                assertThat(second).as("every round goes on").isGreaterThan(first);
                assertThat(s.bucket(B).get("valid")).isPresent();
            }
            assertThat(requester.get(3, SlotTable.STATE)).isEqualTo(SlotTable.REJECTED);
            assertThat(requester.get(4, SlotTable.STATE)).isEqualTo(SlotTable.REJECTED);
            assertThat(requester.get(5, SlotTable.STATE)).isEqualTo(SlotTable.DONE);
        }
    }

    @Test
    void lengthsAreBoundedByTheBodyBeforeAnythingIsAllocated() {
        ByteBuffer body = ByteBuffer.allocate(SlotTable.BODY_SIZE);
        int n = SlotCodec.encodeRequests(body, List.of(put("k", "value")));
        body.putInt(n - 9, Integer.MAX_VALUE); // the value's length
        assertThatThrownBy(() -> SlotCodec.decodeRequests(body, 1, n))
                .isInstanceOf(SlotCodec.UndecodableException.class).hasMessageContaining("value of 2147483647");
        assertThatThrownBy(() -> SlotCodec.decodeRequests(body, 1, SlotTable.BODY_SIZE + 1))
                .isInstanceOf(SlotCodec.UndecodableException.class);
        assertThatThrownBy(() -> SlotCodec.decodeRequests(body, 1_000_000, SlotTable.BODY_SIZE))
                .isInstanceOf(SlotCodec.UndecodableException.class);
        ByteBuffer twoWriters = ByteBuffer.allocate(SlotTable.BODY_SIZE);
        int m = SlotCodec.encodeRequests(twoWriters, List.of(put("a", "x"), put("b", "y")));
        assertThatThrownBy(() -> SlotCodec.decodeRequests(twoWriters, 1, m)).as("bytes left after the count")
                .isInstanceOf(SlotCodec.UndecodableException.class);
    }

    @Test
    void outcomesThatCannotBeReadFailTheRequestsWithAClearError() {
        ByteBuffer body = ByteBuffer.allocate(SlotTable.BODY_SIZE);
        List<WriteRequest> asked = List.of(put("k", "v"));
        int n = SlotCodec.encodeRequests(body, asked);
        body.put(n, (byte) 77);
        assertThat(SlotCodec.readOutcomes(body, n, asked, B)).isEmpty();
        assertThatThrownBy(asked.get(0)::outcome).isExactlyInstanceOf(StoreException.class)
                .hasMessageContaining("whether it was stored cannot be told");
    }

    @Test
    void aLiveOwnerInAnotherProcessKeepsItsSlotWhateverItsOwnerWordSaysAndIsServed() throws Exception {
        seed(root, B);
        Path bucketDir = root.resolve(B);
        try (ChildJvm child = ChildJvm.start("slot-post", root.resolve("logs"), "slot-post", bucketDir.toString(),
                "fromchild", "c")) {
            String ready = child.nextLine(60, TimeUnit.SECONDS);
            assertThat(ready).as(child.stderrTail()).isEqualTo("READY");
            String posted = child.nextLine(60, TimeUnit.SECONDS);
            assertThat(posted).as(child.stderrTail()).startsWith("POSTED ");
            int childSlot = Integer.parseInt(posted.substring("POSTED ".length()));

            try (SlotTable t = table(root, B)) {
                List<Integer> claimed = new ArrayList<>();
                int s;
                while ((s = t.claim(21)) >= 0) {
                    claimed.add(s);
                }
                assertThat(claimed).as("every slot but the child's").hasSize(SlotTable.SLOTS - 1)
                        .doesNotContain(childSlot);
                for (int c : claimed) {
                    t.release(c, 21);
                }
            }
            long own;
            try (EmbeddedKvStore s = holder()) {
                own = s.bucket(B).put("own", bytes("1"));
                assertThat(s.bucket(B).get("fromchild")).as("the live child's request is served").isPresent();
            }
            child.send("GO");
            String state = child.nextLine(60, TimeUnit.SECONDS);
            assertThat(state).as(child.stderrTail()).startsWith("STATE " + SlotTable.DONE + " ");
            long rev = Long.parseLong(state.split(" ")[2]);
            try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
                assertThat(s.bucket(B).get("fromchild").orElseThrow().revision()).isEqualTo(rev);
                assertThat(rev).isNotEqualTo(own);
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void aTableOfAnotherBootOrFormatIsResetWhenOpened() throws Exception {
        Path dir = root.resolve("t");
        java.nio.file.Files.createDirectories(dir);
        long[] before = {1, 2};
        long[] after = {3, 4};
        try (SlotTable t = SlotTable.open(dir, FileModes.OWNER, before)) {
            t.set(2, SlotTable.OWNER, 99);
            t.set(2, SlotTable.CLAIM_GEN, 5);
            t.set(2, SlotTable.STATE, SlotTable.TAKEN);
            t.set(3, SlotTable.OWNER, 98);
            t.set(3, SlotTable.STATE, SlotTable.POSTED);
        }
        try (SlotTable t = SlotTable.open(dir, FileModes.OWNER, before)) {
            assertThat(t.get(2, SlotTable.STATE)).as("same boot: kept").isEqualTo(SlotTable.TAKEN);
        }
        try (SlotTable t = SlotTable.open(dir, FileModes.OWNER, after)) {
            for (int s = 0; s < SlotTable.SLOTS; s++) {
                assertThat(t.get(s, SlotTable.STATE)).isEqualTo(SlotTable.FREE);
                assertThat(t.get(s, SlotTable.OWNER)).isZero();
                assertThat(t.get(s, SlotTable.CLAIM_GEN)).isZero();
            }
            t.set(3, SlotTable.STATE, SlotTable.POSTED);
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(SlotTable.NAME), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, 0), SlotTable.FORMAT_AT);
        }
        try (SlotTable t = SlotTable.open(dir, FileModes.OWNER, after)) {
            assertThat(t.get(3, SlotTable.STATE)).as("another format: reset").isEqualTo(SlotTable.FREE);
        }
        assertThat(SlotTable.bootId()).hasSize(2);
    }

    // ---- set-up ----

    @Test
    void anErrorAfterTheAppendTellsTheRequesterWhetherItWasStoredCannotBeTold() throws Exception {
        seed(root, B);
        try (SlotTable requester = table(root, B)) {
            assertThat(requester.claimSlot(6, 31)).isTrue();
            List<WriteRequest> asked = List.of(put("posted", "p"));
            int n = SlotCodec.encodeRequests(requester.body(6), asked);
            postRaw(requester, 6, 1, n);
            // The holder's force of the log fails with an Error: the round's records are appended, not forced.
            java.util.concurrent.atomic.AtomicBoolean failForce = new java.util.concurrent.atomic.AtomicBoolean();
            ForwardingStorageIo io = new ForwardingStorageIo() {
                @Override
                public DataFile open(Path path, boolean write) throws IOException {
                    return new ForwardingDataFile(super.open(path, write)) {
                        @Override
                        public void force() throws IOException {
                            if (failForce.getAndSet(false)) {
                                throw new Error("simulated fatal error while forcing");
                            }
                            super.force();
                        }
                    };
                }
            };
            try (EmbeddedKvStore s = TestStores.open(root, io)) {
                s.engine(B).config();
                assertThat(s.engine(B).hasIndex()).isTrue();
                failForce.set(true);
                Throwable own = org.assertj.core.api.Assertions.catchThrowable(() -> s.bucket(B).put("own",
                        bytes("1")));
                assertThat(own).isNotNull();
            }
            assertThat(requester.get(6, SlotTable.STATE)).isEqualTo(SlotTable.DONE);
            assertThat(SlotCodec.readOutcomes(requester.body(6), n, asked, B)).isEmpty();
            assertThatThrownBy(asked.get(0)::outcome).isExactlyInstanceOf(StoreException.class)
                    .hasMessageContaining("whether the write was stored cannot be told");
        }
    }

    /** A store with the index loaded, so that it hands off its writes and serves the rounds. */
    private EmbeddedKvStore holder() {
        EmbeddedKvStore s = TestStores.open(root, new NioStorageIo());
        s.engine(B).config();
        assertThat(s.engine(B).hasIndex()).isTrue();
        return s;
    }
}
