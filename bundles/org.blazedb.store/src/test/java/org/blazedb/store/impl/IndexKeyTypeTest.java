package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

/** Index entries read back as written; a damaged entry on disk is CORRUPT_DATA, never a JVM exception. */
class IndexKeyTypeTest {
    private static final byte[] VALUE = BlazeBinary.encodeValue(Value.of(42L));

    @Test
    void anEntryReadsBackAsWritten() {
        IndexKey key = IndexKey.of(Value.of("caf\u00E9 \uFFFD"), "id \uD83D\uDE00");
        WriteBuffer w = new WriteBuffer();
        IndexKeyType.INSTANCE.write(w, key);
        ByteBuffer b = w.getBuffer().flip();
        assertEquals(key, IndexKeyType.INSTANCE.read(b));
        assertEquals(0, b.remaining());
    }

    /** @param parts the entry as a page holds it: varint lengths and bytes, ints taken as bytes */
    private static void assertCorrupt(String expectedInMessage, Object... parts) {
        ByteBuffer b = ByteBuffer.allocate(64);
        for (Object p : parts) {
            if (p instanceof byte[] bytes) {
                b.put(bytes);
            } else {
                b.put((byte) (int) (Integer) p);
            }
        }
        b.flip();
        BlazeException e = assertThrows(BlazeException.class, () -> IndexKeyType.INSTANCE.read(b));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void aValueLengthOf2To32Minus1IsCorruptData() {
        assertCorrupt("value length 4294967295 exceeds", 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 0x61);
    }

    @Test
    void aValueLengthPastTheEndOfThePageIsCorruptData() {
        assertCorrupt("value length 2147483647 exceeds", 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1, 0x61);
    }

    @Test
    void anIdLengthOf2To32Minus1IsCorruptData() {
        assertCorrupt("document id length 4294967295 exceeds", VALUE.length, VALUE, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x61);
    }

    @Test
    void anIdThatIsNotWellFormedUtf8IsCorruptData() {
        assertCorrupt("document id is not well-formed UTF-8", VALUE.length, VALUE, 1, 0xFF);
    }

    @Test
    void aValueThatIsNotBlazeBinaryIsCorruptData() {
        assertCorrupt("value is not a valid BlazeBinary value", 2, 0x7F, 0x7F, 1, 0x61);
    }
}
