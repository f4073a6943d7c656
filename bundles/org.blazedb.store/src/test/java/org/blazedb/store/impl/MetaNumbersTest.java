package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Query;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counters in the store file's meta map are read with the range the store writes them in: a
 * damaged {@code nextIndex} or {@code walSeq} is CORRUPT_DATA naming the entry, never a number cut
 * down to an int (which gave the next index the map of an existing one) or a negative sequence.
 */
class MetaNumbersTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final OpenStores stores = new OpenStores();

    /** A closed store in {@link #dir} with an index on "a" of collection "c" (index number 1). */
    private void storeWithAnIndex() {
        StoreEngine s = stores.open(dir);
        s.collection("c").createIndex("a");
        s.collection("c").put("d1", MapValue.builder().put("a", 1).put("b", 2).build());
        stores.close(s);
    }

    /** Overwrites a meta entry of the closed store in {@link #dir}, as damage to the file would. */
    private void setMeta(String key, byte[] value) {
        try (FolderLock lock = FolderLock.acquire(dir); StoreFiles f = StoreFiles.open(lock, StoreOptions.defaults("test", dir), -1)) {
            f.meta.put(key, value);
        }
    }

    private static byte[] varint(long n) {
        return new BlazeWriter(10).writeVarLong(n).toByteArray();
    }

    private void assertOpenIsCorrupt(String expectedInMessage) {
        BlazeException e = assertThrows(BlazeException.class, () -> stores.open(dir));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void aNextIndexBeyondAnIntIsCorruptData() {
        storeWithAnIndex();
        // (int) of 2^32 + 1 is 1: without the check, the next index created got index 1's map
        setMeta("nextIndex", varint((1L << 32) + 1));
        assertOpenIsCorrupt("meta entry 'nextIndex' holds 4294967297, outside 1 to 2147483648");
    }

    @Test
    void aNextIndexOf2To64Minus1IsCorruptData() {
        storeWithAnIndex();
        setMeta("nextIndex", varint(-1L));
        assertOpenIsCorrupt("meta entry 'nextIndex' holds 18446744073709551615");
    }

    @Test
    void aNextIndexNotAboveAnExistingIndexNumberIsCorruptData() {
        storeWithAnIndex();
        setMeta("nextIndex", varint(1));
        assertOpenIsCorrupt("'nextIndex' holds 1, not above the number 1 of the index on 'a' of collection 'c'");
    }

    @Test
    void aNextIndexThatIsNotOneVarintIsCorruptData() {
        storeWithAnIndex();
        setMeta("nextIndex", new byte[] {(byte) 0x80}); // cut off
        assertOpenIsCorrupt("meta entry 'nextIndex'");
        setMeta("nextIndex", new byte[] {5, 0}); // a trailing byte
        assertOpenIsCorrupt("meta entry 'nextIndex'");
    }

    @Test
    void aWalSeqOf2To63AndUpIsCorruptData() {
        storeWithAnIndex();
        // read as a negative sequence, every record of the log would have been skipped at open
        setMeta("walSeq", varint(Long.MIN_VALUE));
        assertOpenIsCorrupt("meta entry 'walSeq' holds 9223372036854775808, outside 0 to 9223372036854775807");
    }

    /**
     * The last index number is given out, and then creating an index is refused alone: before, the
     * counter wrapped to -2^31, the next index was "i.-2147483648" and the file held a nextIndex of
     * 2^64 - 2^31.
     */
    @Test
    void onceTheLastIndexNumberIsGivenOutCreatingAnIndexIsRefused() {
        storeWithAnIndex();
        setMeta("nextIndex", varint(Integer.MAX_VALUE)); // StoreEngine.MAX_INDEX_NUMBER
        StoreEngine s = stores.open(dir);
        s.collection("c").createIndex("b");
        BlazeException e = assertThrows(BlazeException.class, () -> s.collection("c").createIndex("v"));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e::toString);
        assertEquals(0, s.recoveries, "refused at its stage: the store did not reopen");
        assertEquals(List.of("d1"), idsWithB(s, 2), "the index given the last number works");

        StoreEngine again = stores.reopen(s, dir);
        assertEquals(List.of("d1"), idsWithB(again, 2));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, assertThrows(BlazeException.class, () -> again.collection("c").createIndex("v")).code());
        assertEquals(java.util.Set.of("a", "b"), again.collection("c").indexes());
    }

    private static List<String> idsWithB(StoreEngine s, long b) {
        try (var cursor = s.collection("c").find(Query.builder().where(org.blazedb.api.Filter.eq("b", Value.of(b))).build())) {
            List<Document> found = new java.util.ArrayList<>();
            cursor.forEachRemaining(found::add);
            return found.stream().map(Document::id).collect(Collectors.toList());
        }
    }
}
