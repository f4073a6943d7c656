package org.blazedb.store.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The store's redo log, {@code blaze.wal}: what makes a write durable between MVStore checkpoints.
 * Each group commit appends one record holding every map change of the group and fdatasyncs it;
 * the MVStore file is committed and fsynced only at checkpoints (about once a second), after which
 * the log starts over from its beginning. At open, records newer than the checkpoint recorded in
 * the MVStore file are replayed.
 *
 * <p>The file is preallocated (zero-filled) to {@link #SEGMENT_BYTES}, so that an fdatasync does
 * not have to update the file's size. Record layout, all little-endian:
 *
 * <pre>
 * i32   payload length (> 0)
 * i32   CRC-32C of the payload
 * bytes payload: varint group sequence (from 1, +1 per record, never reused), then the changes
 *       (see {@link WalChanges})
 * </pre>
 *
 * Reading stops at the first record that is torn (length past the end, or a CRC mismatch), a zero
 * length (the preallocated zeros), or whose sequence does not follow the previous one.
 */
final class WriteAheadLog implements AutoCloseable {
    static final String FILE_NAME = "blaze.wal";
    /** The preallocated size; a checkpoint is forced before the log outgrows it. */
    static final long SEGMENT_BYTES = 4L << 20;
    private static final int HEADER = 8;

    private final Path file;
    private final FileChannel channel;
    private long position;
    /**
     * The file's size, kept here so that an append never asks the file for it. An {@code fstat}
     * marks the file's times as seen, and on Linux 6.13 and later (multigrain timestamps) the next
     * write then gives the file a fine-grained mtime instead of the clock tick's: every commit
     * dirtied the inode, and on ext4 without a journal every fdatasync wrote it (a third wait per
     * commit). Unseen, the mtime changes at most once per clock tick (4 ms at 250 Hz).
     */
    private long size;

    WriteAheadLog(Path folder) throws IOException {
        this.file = folder.resolve(FILE_NAME);
        boolean fresh = !Files.exists(file) || Files.size(file) < SEGMENT_BYTES;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.size = channel.size();
        if (fresh) {
            preallocate(size, SEGMENT_BYTES);
        }
    }

    private void preallocate(long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long p = from; p < to; p += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - p));
            while (zeros.hasRemaining()) {
                channel.write(zeros, p + zeros.position());
            }
        }
        channel.force(true);
        size = Math.max(size, to);
    }

    /** A record read back at open. @param sequence its group sequence @param changes its payload after the sequence */
    record Record(long sequence, byte[] payload, int changesOffset) {
    }

    /**
     * @param after the last group sequence the MVStore file holds
     * @return the records after it, in order, up to the first torn or stale one
     */
    List<Record> readAfter(long after) throws IOException {
        List<Record> records = new ArrayList<>();
        long p = 0;
        long expected = -1;
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (p + HEADER <= size) {
            header.clear();
            readFully(header, p);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length <= 0 || p + HEADER + length > size) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, p + HEADER);
            CRC32C check = new CRC32C();
            check.update(payload.array(), 0, length);
            if ((int) check.getValue() != crc) {
                break;
            }
            org.blazedb.codec.BlazeReader r = new org.blazedb.codec.BlazeReader(payload.array());
            long sequence = r.readVarLong();
            if (expected != -1 && sequence != expected) {
                break;
            }
            expected = sequence + 1;
            if (sequence > after) {
                if (sequence != after + 1 + records.size()) {
                    break; // a gap: nothing after it can be applied
                }
                records.add(new Record(sequence, payload.array(), r.position()));
            }
            p += HEADER + length;
        }
        return records;
    }

    private void readFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                break;
            }
        }
    }

    /** @return bytes appended since the last {@link #restart()} */
    long position() {
        return position;
    }

    /**
     * Appends one record (not yet synced).
     *
     * @param payload the group sequence and the changes
     */
    void append(byte[] payload, int length) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, length);
        ByteBuffer b = ByteBuffer.allocate(HEADER + length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt((int) crc.getValue()).put(payload, 0, length).flip();
        long end = position + b.remaining();
        if (end > size) {
            preallocate(size, Math.max(end, size + SEGMENT_BYTES));
        }
        while (b.hasRemaining()) {
            channel.write(b, position + b.position());
        }
        position = end;
    }

    /** Makes the appended records durable. */
    void sync() throws IOException {
        channel.force(false);
    }

    /**
     * Starts over from the beginning, after a checkpoint made every record redundant. The first
     * record written next overwrites the old first one; older records left behind carry smaller
     * sequences and are never read as current. A log that grew past twice its preallocated size
     * (while a compaction kept it) is cut back to that size: everything in it is redundant.
     */
    void restart() throws IOException {
        position = 0;
        if (size > 2 * SEGMENT_BYTES) {
            channel.truncate(SEGMENT_BYTES);
            size = SEGMENT_BYTES;
        }
    }

    /**
     * Starts over, like {@link #restart()}, and makes every record in the file unreadable (the first
     * record's header is zeroed, and synced): for a log that holds a group after the last one the
     * MVStore file holds, whose writers were told it failed. Left in place, that group would
     * follow the file's last group in sequence and be replayed at the next open.
     */
    void erase() throws IOException {
        restart();
        ByteBuffer zeros = ByteBuffer.allocate(HEADER);
        while (zeros.hasRemaining()) {
            channel.write(zeros, zeros.position());
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
