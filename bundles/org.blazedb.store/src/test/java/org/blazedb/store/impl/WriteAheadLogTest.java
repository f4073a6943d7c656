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

    @Test
    void recordsAppendedAcrossSeveralGrowthsAllReadBackAndGrowthKeepsWhatWasWritten() throws Exception {
        int records = 0;
        try (WriteAheadLog wal = new WriteAheadLog(dir)) {
            // about 0.75 MiB each: the log grows past its preallocated segment twice; a growth that
            // started from a wrong size would zero records already written
            for (long s = 1; s <= 12; s++) {
                byte[] r = record(s, 3 << 18);
                wal.append(r, r.length);
                records++;
            }
            wal.sync();
            assertEquals(3 * WriteAheadLog.SEGMENT_BYTES, Files.size(dir.resolve(WriteAheadLog.FILE_NAME)),
                    "grown by one segment at a time");
            assertEquals(records, wal.readAfter(0).size());
        }
        try (WriteAheadLog wal = new WriteAheadLog(dir)) {
            List<WriteAheadLog.Record> all = wal.readAfter(0);
            assertEquals(records, all.size());
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).sequence());
            }
        }
    }

    @Test
    void aLogFileShorterThanASegmentIsPreallocatedAtOpenAndKeepsItsRecords() throws Exception {
        try (WriteAheadLog wal = new WriteAheadLog(dir)) {
            byte[] r = record(1, 100);
            wal.append(r, r.length);
            wal.sync();
        }
        Path file = dir.resolve(WriteAheadLog.FILE_NAME);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(4096); // as if a crash had cut the preallocation short
        }
        try (WriteAheadLog wal = new WriteAheadLog(dir)) {
            assertEquals(WriteAheadLog.SEGMENT_BYTES, Files.size(file));
            assertEquals(1, wal.readAfter(0).size());
            byte[] r = record(2, (int) WriteAheadLog.SEGMENT_BYTES);
            wal.append(r, r.length); // from the start, as after the checkpoint that follows an open; past the end
            assertEquals(2 * WriteAheadLog.SEGMENT_BYTES, Files.size(file), "grown from the size found at open");
            List<WriteAheadLog.Record> all = wal.readAfter(1);
            assertEquals(1, all.size(), "the record that follows the checkpointed sequence 1");
            assertEquals(2, all.get(0).sequence());
        }
    }
}
