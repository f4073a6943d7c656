package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blazedb.codec.BlazeWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path dir;

    private static byte[] record(long sequence, int padding) {
        BlazeWriter w = new BlazeWriter(padding + 10).writeVarLong(sequence);
        for (int i = 0; i < padding; i++) {
            w.writeByte(6);
        }
        return w.toByteArray();
    }

    @Test
    void aLogThatGrewWhileACompactionKeptItIsCutBackAtRestart() throws Exception {
        try (WriteAheadLog wal = new WriteAheadLog(dir)) {
            for (long s = 1; s <= 3; s++) {
                byte[] r = record(s, 4 << 20);
                wal.append(r, r.length);
            }
            assertTrue(Files.size(dir.resolve(WriteAheadLog.FILE_NAME)) > 2 * WriteAheadLog.SEGMENT_BYTES);
            assertEquals(3, wal.readAfter(0).size());
            wal.restart();
            assertEquals(WriteAheadLog.SEGMENT_BYTES, Files.size(dir.resolve(WriteAheadLog.FILE_NAME)));
            byte[] r = record(4, 100);
            wal.append(r, r.length);
            wal.sync();
        }
        try (WriteAheadLog wal = new WriteAheadLog(dir)) {
            List<WriteAheadLog.Record> after = wal.readAfter(3);
            assertEquals(1, after.size(), "the record written after the restart, and nothing stale");
            assertEquals(4, after.get(0).sequence());
        }
    }
}
