package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group's changes are kept in arrays reused from group to group: a group larger than their
 * capacity (and than what is kept between groups) is recorded whole, and the next group's record
 * holds only its own changes. A record whose CRC matches but whose changes are malformed or out of
 * range is CORRUPT_DATA naming its group, and changes nothing.
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
        try (FolderLock lock = FolderLock.acquire(dir); StoreFiles f = StoreFiles.open(lock, StoreOptions.defaults("t", dir), -1)) {
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

    /** @return a record of group {@code sequence} with one index change (tag 4, put) of index {@code number} */
    private static byte[] indexPut(long sequence, long number) {
        return new BlazeWriter(64).writeVarLong(sequence).writeByte(4).writeVarLong(number)
                .writeBytes(BlazeBinary.encodeValue(Value.of("v"))).writeString("id").toByteArray();
    }

    private static void assertCorrupt(StoreFiles f, byte[] payload, String expectedInMessage) {
        BlazeException e = assertThrows(BlazeException.class, () -> apply(f, payload, 7));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void anIndexNumberOutsideTheNumbersGivenOutIsCorruptData() {
        try (FolderLock lock = FolderLock.acquire(dir); StoreFiles f = StoreFiles.open(lock, StoreOptions.defaults("t", dir), -1)) {
            f.index(1).put(IndexKey.of(Value.of("w"), "other"), new byte[0]); // index 1 exists
            // (int) of 2^32 + 1 is 1: without the check the entry went into index 1
            assertCorrupt(f, indexPut(7, (1L << 32) + 1), "group 7 in " + f.folder.resolve(WriteAheadLog.FILE_NAME)
                    + " is corrupt: its index number 4294967297 is outside 1 to 2147483647");
            assertCorrupt(f, indexPut(7, -1L), "index number 18446744073709551615");
            assertCorrupt(f, indexPut(7, 0), "index number 0");
            assertEquals(1, f.index(1).size(), "nothing was put into index 1");
            assertFalse(f.store.hasMap("i.-1") || f.store.hasMap("i.0"), "no map was made for a number never given out");
        }
    }

    @Test
    void aChangeCutShortIsCorruptDataNamingItsGroup() {
        try (FolderLock lock = FolderLock.acquire(dir); StoreFiles f = StoreFiles.open(lock, StoreOptions.defaults("t", dir), -1)) {
            byte[] whole = indexPut(7, 1);
            // the codec calls it MALFORMED_DATA (a bad peer); from the store's own log it is a damaged file
            assertCorrupt(f, java.util.Arrays.copyOf(whole, whole.length - 1), "The write-ahead log record of group 7");
        }
    }

    /** The same checks at open, where the log's groups after the file's last checkpoint are replayed. */
    @Test
    void aStoreWhoseLogHoldsAnIndexNumberBeyondAnIntFailsToOpenWithCorruptData() throws Exception {
        StoreEngine s = StoreEngine.open(StoreOptions.defaults("test", dir));
        s.collection("c").createIndex("k");
        s.collection("c").put("d", MapValue.builder().put("k", "v").build());
        s.close();
        long checkpointed;
        try (FolderLock lock = FolderLock.acquire(dir); StoreFiles f = StoreFiles.open(lock, StoreOptions.defaults("test", dir), -1)) {
            checkpointed = new BlazeReader(f.meta.get("walSeq")).readVarLong();
        }
        try (WriteAheadLog wal = new WriteAheadLog(dir)) {
            byte[] record = indexPut(checkpointed + 1, (1L << 32) + 1);
            wal.append(record, record.length);
            wal.sync();
        }
        BlazeException e = assertThrows(BlazeException.class, () -> StoreEngine.open(StoreOptions.defaults("test", dir)).close());
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains("group " + (checkpointed + 1) + " in"), e.getMessage());
        assertTrue(e.getMessage().contains("index number 4294967297"), e.getMessage());
    }
}
