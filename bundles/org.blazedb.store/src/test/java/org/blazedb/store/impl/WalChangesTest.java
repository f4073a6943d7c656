package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.blazedb.api.NodeId;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group's changes are kept in arrays reused from group to group: a group larger than their
 * capacity (and than what is kept between groups) is recorded whole, and the next group's record
 * holds only its own changes.
 */
class WalChangesTest {
    @TempDir
    Path dir;

    @Test
    void groupsOfAnySizeAreRecordedWholeAndNothingOfOneIsLeftInTheNext() {
        WalChanges changes = new WalChanges();
        NodeId node = new NodeId(7, 9);
        changes.begin(1);
        int n = 40_000; // two changes each: past the 65,536 kept between groups
        for (int i = 0; i < n; i++) {
            changes.document("c", "id-" + i, new byte[] {(byte) i, 1});
            changes.log(i + 1, new byte[] {(byte) i, 2});
        }
        changes.origin(node, 1, 1);
        changes.meta("m", new byte[] {3});
        BlazeWriter record = new BlazeWriter(64);
        changes.encode(record);
        try (StoreFiles f = StoreFiles.open(StoreOptions.defaults("t", dir), -1)) {
            apply(f, record.toByteArray(), 1);
            assertEquals(n, f.docs("c", false).size());
            assertEquals(n, f.log.size());
            for (int i = 0; i < n; i += 997) {
                assertArrayEquals(new byte[] {(byte) i, 1}, f.docs("c", false).get("id-" + i));
                assertArrayEquals(new byte[] {(byte) i, 2}, f.log.get(i + 1L));
            }
            assertEquals(1L, f.origin(node, false).get(1L));
            assertArrayEquals(new byte[] {3}, f.meta.get("m"));

            changes.begin(2);
            assertTrue(changes.isEmpty());
            assertEquals(0, changes.estimatedBytes());
            changes.document("d", "only", new byte[] {4});
            changes.encode(record);
            byte[] second = record.toByteArray();
            apply(f, second, 2);
            assertArrayEquals(new byte[] {4}, f.docs("d", false).get("only"));
            BlazeWriter expected = new BlazeWriter(64).writeVarLong(2).writeByte(1).writeString("d").writeString("only").writeBytes(new byte[] {4});
            assertArrayEquals(expected.toByteArray(), second, "the second group's record holds its one change");
        }
    }

    private static void apply(StoreFiles f, byte[] payload, long sequence) {
        BlazeReader r = new BlazeReader(payload);
        assertEquals(sequence, r.readVarLong());
        WalChanges.apply(f, payload, r.position());
    }
}
