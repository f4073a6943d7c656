package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.testsupport.Await;

/** What the tests of failures around a checkpoint share. */
final class CheckpointFaults {
    /** The documents in {@link #largeBatch()}. */
    static final int LARGE = 2_000;
    private static final String PAD = "x".repeat(300);

    private CheckpointFaults() {
    }

    /** @return a batch large enough to be committed as a checkpoint of its own (a large group), of documents "big-NNNNN" */
    static WriteBatch largeBatch() {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < LARGE; i++) {
            b.put("c", String.format("big-%05d", i), largeDocument(i));
        }
        return b;
    }

    /** @return the fields of the large batch's document {@code i} */
    static MapValue largeDocument(int i) {
        return MapValue.builder().put("n", i).put("pad", PAD).build();
    }

    /**
     * @param fired counts how many times the fault fired
     * @return a fault that fails the first check only, with an {@link IOException} of {@code message}
     */
    static StoreEngine.Fault once(AtomicInteger fired, String message) {
        return () -> {
            if (fired.get() == 0) {
                fired.incrementAndGet();
                throw new IOException(message);
            }
        };
    }

    /**
     * Writes "d0" to "d49" with no checkpoint, arms a fault that fires once, makes a checkpoint due at
     * the write of "d50", waits until the fault fired, then writes "d51": after the recovery, since it
     * waits for the commit lock the recovery holds.
     *
     * @param arm sets the fault where it is to fire
     */
    static void writeAcrossAFailedTimedCheckpoint(StoreEngine s, Consumer<StoreEngine.Fault> arm, String message)
            throws InterruptedException {
        s.checkpointNanos = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            s.collection("c").put("d" + i, MapValue.builder().put("n", i).build());
        }
        AtomicInteger fired = new AtomicInteger();
        arm.accept(once(fired, message));
        s.checkpointNanos = 0; // due at the writer thread's next turn
        s.collection("c").put("d50", MapValue.builder().put("n", 50).build());
        Await.until("the fault to fire at the checkpoint", 30, () -> fired.get() == 1);
        s.checkpointNanos = Long.MAX_VALUE;
        s.collection("c").put("d51", MapValue.builder().put("n", 51).build());
    }

    /** Asserts that collection "c" holds exactly documents "d0" to "d(n-1)", {@code n: i} each, and the log n operations. */
    static void assertAllThere(StoreEngine s, int n) {
        assertEquals(n, s.collection("c").count());
        for (int i = 0; i < n; i++) {
            assertEquals(MapValue.builder().put("n", i).build(), s.collection("c").get("d" + i).orElseThrow().fields(), "d" + i);
        }
        assertEquals(n, s.log().lastPosition());
    }
}
