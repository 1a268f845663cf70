package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.Operation;
import dev.tend.kv.WrongRevisionException;
import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a killed process leaves in the hand-off's slot table ({@link Handoff}), set up as it would leave it, and what
 * the next holder (a live store writing with the index loaded) makes of it: a request posted by a dead process (its
 * slot's lock free) is discarded, never applied, and its slot reclaimed; a dead holder's claims are posted again
 * when it recorded nothing, or when its records are not in the log (a torn tail cut them), while their requester
 * (here the test, holding the slot's lock) waits, and discarded when it is gone too; settled, not applied again,
 * when they are (appended, with or without the appended mark raised); in part, when a torn tail cut the claim's
 * later records.
 */
class HandoffCrashTest {
    private static final String B = "handoff";
    private static final int DEAD_SLOT = 5;

    @TempDir
    Path root;

    @org.junit.jupiter.api.BeforeAll
    static void handOff() {
        // The hand-off is opt-in (BatchWriter); other tests of this JVM pass with it on or off.
        System.setProperty("tend.kv.handoff", "true");
    }

    @Test
    void aRequestPostedByADeadProcessIsDiscardedNeverAppliedAndItsSlotReclaimed() throws Exception {
        seed();
        try (SlotTable t = table()) {
            post(t, DEAD_SLOT, deadOwner(), SlotTable.POSTED, List.of(put("posted", "p")));
        }
        // A write acknowledged on the direct path (a process without the index) after the requester died.
        try (EmbeddedKvStore s = open()) {
            s.bucket(B).put("posted", bytes("newer"));
        }
        assertThat(holderWrites()).as("the live store's own write").isPositive();
        try (EmbeddedKvStore s = open()) {
            assertThat(history(s, "posted")).as("never applied, so never after the newer write")
                    .extracting(e -> text(e.value())).containsExactly("newer");
        }
        try (SlotTable t = table()) {
            assertThat(t.get(DEAD_SLOT, SlotTable.STATE)).isEqualTo(SlotTable.FREE);
            for (int s = 0; s < DEAD_SLOT; s++) {
                assertThat(t.claimSlot(s, 7)).isTrue();
            }
            assertThat(t.claim(7)).as("the dead owner's slot is reclaimed").isEqualTo(DEAD_SLOT);
        }
    }

    @Test
    void aDeadHoldersClaimWithNothingRecordedIsPostedAgainAndAppliedOnce() throws Exception {
        seed();
        try (SlotTable requester = table()) {
            assertThat(requester.claimSlot(DEAD_SLOT, 9)).as("a live requester holds its slot").isTrue();
            post(requester, DEAD_SLOT, 9, SlotTable.TAKEN, List.of(put("claimed", "c")));
            holderWrites();
            try (EmbeddedKvStore s = open()) {
                assertThat(history(s, "claimed")).extracting(e -> text(e.value())).containsExactly("c");
            }
            assertThat(requester.get(DEAD_SLOT, SlotTable.STATE)).isEqualTo(SlotTable.DONE);
        }
    }

    @Test
    void aDeadHoldersClaimWithNothingRecordedIsDiscardedWhenItsRequesterIsGoneToo() throws Exception {
        seed();
        try (SlotTable t = table()) {
            post(t, DEAD_SLOT, deadOwner(), SlotTable.TAKEN, List.of(put("claimed", "c")));
        }
        holderWrites();
        try (EmbeddedKvStore s = open()) {
            assertThat(history(s, "claimed")).isEmpty();
        }
        try (SlotTable t = table()) {
            assertThat(t.get(DEAD_SLOT, SlotTable.STATE)).isEqualTo(SlotTable.FREE);
        }
    }

    @Test
    void aDeadHoldersAppendInTheLogIsSettledNotAppliedAgain() throws Exception {
        for (boolean markRaised : new boolean[] {false, true}) {
            Path dir = root.resolve(markRaised ? "raised" : "unraised");
            seed(dir);
            long rev = deadHolderAppend(dir, List.of(put("dead", "d")), 1, markRaised);
            holderWrites(dir);
            try (EmbeddedKvStore s = TestStores.open(dir, new NioStorageIo())) {
                List<Entry> h = history(s, "dead");
                assertThat(h).as("applied once, at the revision the dead holder gave it").hasSize(1);
                assertThat(h.get(0).revision()).isEqualTo(rev);
            }
            try (SlotTable t = SlotTable.open(dir.resolve(B), FileModes.OWNER)) {
                assertThat(t.get(DEAD_SLOT, SlotTable.STATE)).isEqualTo(SlotTable.DONE);
                List<WriteRequest> asked = List.of(put("dead", "d"));
                assertThat(SlotCodec.readOutcomes(t.body(DEAD_SLOT), t.getInt(DEAD_SLOT, SlotTable.REQUEST_BYTES),
                        asked, B)).isEmpty();
                assertThat(asked.get(0).outcome()).isEqualTo(rev);
            }
        }
    }

    @Test
    void aDeadHoldersTornAppendIsCutAndItsClaimPostedAgain() throws Exception {
        seed();
        try (SlotTable requester = table()) {
            assertThat(requester.claimSlot(DEAD_SLOT, 9)).as("a live requester holds its slot").isTrue();
            deadHolderAppend(root, List.of(put("torn", "t")), 0, true);
            holderWrites();
            try (EmbeddedKvStore s = open()) {
                assertThat(history(s, "torn")).extracting(e -> text(e.value())).as("cut, then applied once")
                        .containsExactly("t");
            }
        }
    }

    @Test
    void aDeadHoldersTornAppendIsCutAndDiscardedWhenItsRequesterIsGoneToo() throws Exception {
        seed();
        deadHolderAppend(root, List.of(put("torn", "t")), 0, true);
        holderWrites();
        try (EmbeddedKvStore s = open()) {
            assertThat(history(s, "torn")).as("cut, and not applied: its requester is gone").isEmpty();
        }
    }

    @Test
    void aDeadHoldersClaimCutInItsMiddleKeepsWhatIsInTheLog() throws Exception {
        seed();
        deadHolderAppend(root, List.of(put("first", "1"), put("second", "2")), 1, true);
        holderWrites();
        try (EmbeddedKvStore s = open()) {
            assertThat(history(s, "first")).hasSize(1);
            assertThat(history(s, "second")).as("cut, and its requester (dead) does not make it again").isEmpty();
        }
        try (SlotTable t = table()) {
            assertThat(t.get(DEAD_SLOT, SlotTable.STATE)).isEqualTo(SlotTable.DONE);
            List<WriteRequest> asked = List.of(put("first", "1"), put("second", "2"));
            List<WriteRequest> again = SlotCodec.readOutcomes(t.body(DEAD_SLOT),
                    t.getInt(DEAD_SLOT, SlotTable.REQUEST_BYTES), asked, B);
            assertThat(again).as("the cut one is made again by a live requester").containsExactly(asked.get(1));
            assertThat(asked.get(0).isDone()).isTrue();
        }
    }

    @Test
    void refusalsHandedBackAreTheDirectPathsExceptions() throws Exception {
        List<WriteRequest> asked = List.of(put("a", "x"),
                new WriteRequest(Operation.PUT, "b", new byte[0], WriteRequest.Check.CREATE, 0),
                new WriteRequest(Operation.PUT, "c", new byte[0], WriteRequest.Check.REVISION, 4));
        ByteBuffer body = ByteBuffer.allocate(SlotTable.BODY_SIZE);
        int n = SlotCodec.encodeRequests(body, asked);
        List<WriteRequest> served = SlotCodec.decodeRequests(body, asked.size(), n);
        assertThat(served).extracting(r -> r.key).containsExactly("a", "b", "c");
        served.get(0).succeed(7);
        served.get(1).fail(new KeyExistsException(B, "b", 3));
        served.get(2).fail(new WrongRevisionException(B, "c", 4, 5));
        SlotCodec.writeOutcomes(body, n, served, null);
        assertThat(SlotCodec.readOutcomes(body, n, asked, B)).isEmpty();
        assertThat(asked.get(0).outcome()).isEqualTo(7);
        assertThatThrownBy(asked.get(1)::outcome).isExactlyInstanceOf(KeyExistsException.class)
                .hasMessage(new KeyExistsException(B, "b", 3).getMessage());
        assertThatThrownBy(asked.get(2)::outcome).isExactlyInstanceOf(WrongRevisionException.class)
                .hasMessage(new WrongRevisionException(B, "c", 4, 5).getMessage());
    }

    // ---- set-up ----

    private void seed() throws IOException {
        seed(root);
    }

    /** A bucket with k=v1 at revision 1. */
    private static void seed(Path dir) throws IOException {
        try (EmbeddedKvStore s = TestStores.open(dir, new NioStorageIo())) {
            s.create(BucketConfig.builder(B).history(3).build());
            assertThat(s.bucket(B).put("k", bytes("v1"))).isEqualTo(1);
        }
    }

    /**
     * As a holder killed after it recorded its claim of {@code requests} (in the dead slot, posted by a dead
     * process) and wrote them to the log: their records appended at the log's end (all of them but the last
     * {@code intact} whole, the rest torn), the appended mark raised past them if {@code markRaised}, never forced
     * nor published. Returns the first one's revision.
     */
    private static long deadHolderAppend(Path root, List<WriteRequest> requests, int intact, boolean markRaised)
            throws IOException {
        Path dir = root.resolve(B);
        long g = Generation.highest(dir, B);
        long rev = 2;
        long created = Times.nanos(Instant.now());
        int total = 0;
        for (WriteRequest r : requests) {
            total += LogFormat.recordLength(r.key.length(), r.value.length);
        }
        ByteBuffer recs = ByteBuffer.allocate(total);
        long[] offsets = new long[requests.size()];
        long end;
        try (FileChannel log = FileChannel.open(Generation.logPath(dir, g), StandardOpenOption.WRITE)) {
            long start = log.size();
            long[] revisions = new long[requests.size()];
            for (int i = 0; i < requests.size(); i++) {
                WriteRequest r = requests.get(i);
                offsets[i] = start + recs.position();
                revisions[i] = rev + i;
                LogFormat.encode(recs, r.op, revisions[i], created, r.key, r.value);
            }
            end = start + total;
            try (SlotTable t = SlotTable.open(dir, FileModes.OWNER)) {
                int n = post(t, DEAD_SLOT, deadOwner(), SlotTable.TAKEN, requests);
                SlotCodec.writeOutcomes(t.body(DEAD_SLOT), n, requests, revisions);
                t.set(DEAD_SLOT, SlotTable.CLAIM_OFFSET, start);
                t.set(DEAD_SLOT, SlotTable.CLAIM_END, end);
                t.set(DEAD_SLOT, SlotTable.CLAIM_CREATED, created);
                t.set(DEAD_SLOT, SlotTable.CLAIM_GEN, g);
            }
            recs.flip();
            if (intact < requests.size()) {
                recs.limit((int) (offsets[intact] - start) + 5); // the first torn record: 5 bytes of it
            }
            log.write(recs, start);
        }
        if (markRaised) {
            try (HeadFile head = HeadFile.open(dir, true)) {
                head.raise(HeadFile.APPENDED_AT, g, end, true);
            }
        }
        return rev;
    }

    /** Posts {@code requests} in {@code slot} for {@code owner}, in {@code state}; returns their length. */
    private static int post(SlotTable t, int slot, long owner, long state, List<WriteRequest> requests) {
        t.set(slot, SlotTable.OWNER, owner);
        int n = SlotCodec.encodeRequests(t.body(slot), requests);
        t.setInt(slot, SlotTable.COUNT, requests.size());
        t.setInt(slot, SlotTable.REQUEST_BYTES, n);
        t.set(slot, SlotTable.CLAIM_GEN, 0);
        t.set(slot, SlotTable.STATE, state);
        return n;
    }

    /** The owner word of a gone owner: any word whose slot's lock no one holds. */
    private static long deadOwner() {
        return 0x5eadL;
    }

    private long holderWrites() throws IOException {
        return holderWrites(root);
    }

    /** A live store, with the index loaded so that it hands off its write (and holds): returns its revision. */
    private static long holderWrites(Path root) {
        try (EmbeddedKvStore s = TestStores.open(root, new NioStorageIo())) {
            s.engine(B).config(); // loads the index
            assertThat(s.engine(B).hasIndex()).isTrue();
            return s.bucket(B).put("other", bytes("x"));
        }
    }

    private EmbeddedKvStore open() {
        return TestStores.open(root, new NioStorageIo());
    }

    private SlotTable table() throws IOException {
        return SlotTable.open(root.resolve(B), FileModes.OWNER);
    }

    private static List<Entry> history(EmbeddedKvStore s, String key) {
        return new ArrayList<>(s.bucket(B).history(key));
    }

    private static WriteRequest put(String key, String value) {
        return new WriteRequest(Operation.PUT, key, bytes(value), WriteRequest.Check.NONE, 0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
