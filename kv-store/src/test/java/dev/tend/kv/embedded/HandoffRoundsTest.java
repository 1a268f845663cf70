package dev.tend.kv.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tend.kv.embedded.HandoffRequests.bytes;
import static dev.tend.kv.embedded.HandoffRequests.postRaw;
import static dev.tend.kv.embedded.HandoffRequests.put;
import static dev.tend.kv.embedded.HandoffRequests.seed;
import static dev.tend.kv.embedded.HandoffRequests.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-off's rounds within one hold of byte 5: a request posted while a round is served is served by the same
 * holder in its next round (the holder's own write returns with it served), at most
 * {@link Handoff#MAX_ROUNDS_PER_HOLD} rounds in a row; and a round sequence left odd, as a holder killed in its round
 * leaves it, does not hold up the next write; an Error in a later round ends the hold, its bytes let go, and reaches the
 * holder's caller once its own write, served in the first round, is stored.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(HandoffOn.class)
class HandoffRoundsTest {
    private static final String B = "rounds";

    @TempDir
    Path root;

    @Test
    void aRequestPostedDuringARoundIsServedInTheNextRoundOfTheSameHold() throws Exception {
        seed(root, B);
        try (SlotTable requester = table(root, B)) {
            // Slots 6 to 12 of another store instance, each posted while the holder forces a round: every force
            // after the first posts the next one, so rounds keep finding a slot posted.
            int[] slots = {6, 7, 8, 9, 10, 11, 12};
            for (int i = 0; i < slots.length; i++) {
                assertThat(requester.claimSlot(slots[i], 100 + i)).isTrue();
            }
            AtomicInteger posted = new AtomicInteger();
            AtomicBoolean armed = new AtomicBoolean();
            long[] before = {-1};
            // At each force of the hold: the sequence, and whether this round's and the last round's wake bytes are
            // held in this JVM.
            List<String> atForce = new ArrayList<>();
            ForwardingStorageIo io = new ForwardingStorageIo() {
                @Override
                public DataFile open(Path path, boolean write) throws IOException {
                    return new ForwardingDataFile(super.open(path, write)) {
                        @Override
                        public void force() throws IOException {
                            super.force();
                            int next = posted.get();
                            if (armed.get()) {
                                long seq = requester.sequence();
                                long round = seq >>> 1;
                                atForce.add(seq + " " + wakeHeld(round) + " " + wakeHeld(round - 1));
                            }
                            if (armed.get() && next < slots.length) {
                                post(requester, slots[next], List.of(put("posted-" + next, "p")));
                                posted.incrementAndGet();
                            }
                        }
                    };
                }
            };
            try (EmbeddedKvStore s = TestStores.open(root, io)) {
                s.engine(B).config();
                assertThat(s.engine(B).hasIndex()).isTrue();
                before[0] = requester.sequence();
                armed.set(true);
                s.bucket(B).put("own", bytes("1"));
                armed.set(false);
                long rounds = (requester.sequence() - before[0]) / 2;

                assertThat(rounds).as("rounds served by the one hold").isEqualTo(Handoff.MAX_ROUNDS_PER_HOLD);
                // The k-th force (from 0) is round k's: the sequence odd at it, its wake byte held, the last one's
                // let go.
                List<String> expected = new ArrayList<>();
                for (int k = 0; k < Handoff.MAX_ROUNDS_PER_HOLD; k++) {
                    expected.add((before[0] + 2 * k + 1) + " true false");
                }
                assertThat(atForce).as("sequence, round's byte held, last round's byte held, at each force")
                        .isEqualTo(expected);
                assertThat(requester.sequence() & 1).as("no round under way").isZero();
                // Posted during rounds 1 to 3: served in rounds 2 to 4 of the hold; the one posted during round 4
                // waits for the next holder.
                for (int i = 0; i < Handoff.MAX_ROUNDS_PER_HOLD - 1; i++) {
                    assertThat(requester.get(slots[i], SlotTable.STATE)).as("slot " + slots[i])
                            .isEqualTo(SlotTable.DONE);
                    assertThat(s.bucket(B).get("posted-" + i)).isPresent();
                }
                assertThat(requester.get(slots[Handoff.MAX_ROUNDS_PER_HOLD - 1], SlotTable.STATE))
                        .isEqualTo(SlotTable.POSTED);

                s.bucket(B).put("own", bytes("2"));
                assertThat(requester.get(slots[Handoff.MAX_ROUNDS_PER_HOLD - 1], SlotTable.STATE))
                        .as("served by the next hold").isEqualTo(SlotTable.DONE);
            }
        }
    }

    @Test
    void anErrorInALaterRoundEndsTheHoldAndReachesTheHolderWithItsOwnWriteStored() throws Exception {
        seed(root, B);
        try (SlotTable requester = table(root, B)) {
            assertThat(requester.claimSlot(6, 100)).isTrue();
            AtomicInteger forces = new AtomicInteger();
            AtomicBoolean armed = new AtomicBoolean();
            Error injected = new Error("injected in round 2");
            ForwardingStorageIo io = new ForwardingStorageIo() {
                @Override
                public DataFile open(Path path, boolean write) throws IOException {
                    return new ForwardingDataFile(super.open(path, write)) {
                        @Override
                        public void force() throws IOException {
                            super.force();
                            if (!armed.get()) {
                                return;
                            }
                            int k = forces.incrementAndGet();
                            if (k == 1) {
                                post(requester, 6, List.of(put("other", "o"))); // served in round 2
                            } else if (k == 2) {
                                throw injected;
                            }
                        }
                    };
                }
            };
            try (EmbeddedKvStore s = TestStores.open(root, io)) {
                s.engine(B).config();
                assertThat(s.engine(B).hasIndex()).isTrue();
                long before = requester.sequence();
                armed.set(true);
                assertThatThrownBy(() -> s.bucket(B).put("own", bytes("1"))).isSameAs(injected);
                armed.set(false);

                assertThat(requester.sequence()).as("the hold ended after round 2").isEqualTo(before + 4);
                assertThat(wakeHeld(before >>> 1)).as("round 1's byte").isFalse();
                assertThat(wakeHeld((before >>> 1) + 1)).as("round 2's byte").isFalse();
                assertThat(requester.get(6, SlotTable.STATE)).as("round 2's claim has its outcome")
                        .isEqualTo(SlotTable.DONE);
                assertThat(s.bucket(B).get("own")).as("the holder's own write, served in round 1").isPresent();
                long revision = s.bucket(B).put("after", bytes("1"));
                assertThat(s.bucket(B).get("after").orElseThrow().revision()).isEqualTo(revision);
            }
        }
    }

    @Test
    // In a thread of its own: the hand-off waits through interrupts, so a regression that never ends the write must
    // not hang the build.
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSequenceLeftOddByAKilledHolderDoesNotHoldUpTheNextWrite() throws Exception {
        seed(root, B);
        try (SlotTable t = table(root, B)) {
            t.setSequence(2 * 41 + 1); // round 41 under way, its holder gone: byte 5 and the round's byte are free
            try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
                s.engine(B).config();
                assertThat(s.engine(B).hasIndex()).isTrue();
                long revision = s.bucket(B).put("after", bytes("1"));
                assertThat(s.bucket(B).get("after").orElseThrow().revision()).isEqualTo(revision);
            }
            assertThat(t.sequence() & 1).as("the next holder's rounds ended").isZero();
            assertThat(t.sequence()).isGreaterThan(2 * 41 + 1);
        }
    }

    /**
     * Whether {@code round}'s byte of the wake file is held in this JVM: a lock on it through the JVM's shared channel
     * of the file (closing another descriptor of it would let go of the holder's locks) overlaps it; else it is free
     * here, and the lock taken to find it out is let go at once.
     */
    private boolean wakeHeld(long round) throws IOException {
        Path p = root.resolve(B).resolve(BucketLock.WAKE_NAME);
        try (LockFiles.Share share = LockFiles.open(p, () -> java.nio.channels.FileChannel.open(p,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE))) {
            FileLock l;
            try {
                l = share.channel().tryLock(BucketLock.WAKE_LOCK + (round & 1), 1, false);
            } catch (OverlappingFileLockException e) {
                return true;
            }
            if (l == null) {
                throw new AssertionError("the wake byte of round " + round + " is held by another process");
            }
            l.release();
            return false;
        }
    }

    private static void post(SlotTable t, int slot, List<WriteRequest> requests) {
        postRaw(t, slot, requests.size(), SlotCodec.encodeRequests(t.body(slot), requests));
    }
}
