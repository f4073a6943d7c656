package org.blazedb.codec;

import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Exception;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Operation;

/**
 * The batch layout of {@code docs/format.md}, after the header byte:
 *
 * <pre>
 * flag 0x00 (raw):  body
 * flag 0x01 (lz4):  varint body length, then the body as one LZ4 block (to the end)
 * body:             varint count (at most MAX_BATCH_OPERATIONS), then each operation
 * </pre>
 *
 * The encoder compresses when the body is at least {@link #MIN_COMPRESS_BYTES} long and LZ4
 * saves at least 1/8 of it; otherwise the CPU a reader spends decompressing is not worth it.
 */
final class BatchCodec {
    static final int MIN_COMPRESS_BYTES = 64;
    /** LZ4 cannot expand data by more than this factor; a larger claimed length is a lie. */
    private static final long LZ4_MAX_RATIO = 255;

    private BatchCodec() {
    }

    static byte[] encode(List<Operation> ops, boolean allowCompression) {
        if (ops.size() > Limits.MAX_BATCH_OPERATIONS) {
            throw BlazeWriter.tooLarge("A batch", ops.size(), "MAX_BATCH_OPERATIONS", Limits.MAX_BATCH_OPERATIONS);
        }
        BlazeWriter body = new BlazeWriter(128 * ops.size() + 16);
        body.writeVarLong(ops.size());
        for (Operation op : ops) {
            body.writeOperation(op);
        }
        return frame(body, allowCompression);
    }

    /**
     * A batch of {@code count} operations already encoded back to back (each without a header
     * byte) in {@code operations}. The operations are not checked here: a reader checks them.
     */
    static byte[] encodeEncoded(int count, BlazeWriter operations, boolean allowCompression) {
        if (count < 0 || count > Limits.MAX_BATCH_OPERATIONS) {
            throw BlazeWriter.tooLarge("A batch", count, "MAX_BATCH_OPERATIONS", Limits.MAX_BATCH_OPERATIONS);
        }
        BlazeWriter body = new BlazeWriter(operations.size() + 5);
        body.writeVarLong(count);
        body.writeRaw(operations.buf, 0, operations.size());
        return frame(body, allowCompression);
    }

    /** Header, flag and {@code body} (count and operations), compressed when that pays. */
    private static byte[] frame(BlazeWriter body, boolean allowCompression) {
        int rawLength = body.size();
        if (rawLength > Limits.MAX_BATCH_BYTES) {
            throw BlazeWriter.tooLarge("A batch", rawLength, "MAX_BATCH_BYTES", Limits.MAX_BATCH_BYTES);
        }
        if (allowCompression && rawLength >= MIN_COMPRESS_BYTES) {
            byte[] out = new byte[2 + 5 + Lz4.COMPRESSOR.maxCompressedLength(rawLength)];
            BlazeWriter header = new BlazeWriter(8);
            header.writeByte(Tags.header(Tags.KIND_BATCH)).writeByte(Tags.BATCH_LZ4).writeVarLong(rawLength);
            int headerLength = header.size();
            System.arraycopy(header.buf, 0, out, 0, headerLength);
            int compressed = Lz4.COMPRESSOR.compress(body.buf, 0, rawLength, out, headerLength);
            if (headerLength + compressed <= rawLength - rawLength / 8) {
                return java.util.Arrays.copyOf(out, headerLength + compressed);
            }
        }
        byte[] out = new byte[2 + rawLength];
        out[0] = (byte) Tags.header(Tags.KIND_BATCH);
        out[1] = (byte) Tags.BATCH_RAW;
        System.arraycopy(body.buf, 0, out, 2, rawLength);
        return out;
    }

    static List<Operation> decode(byte[] bytes) {
        BlazeReader r = BlazeBinary.reader(bytes);
        BlazeBinary.readHeader(r, Tags.KIND_BATCH);
        int flagAt = r.pos;
        int flag = r.readByte();
        if (flag == Tags.BATCH_RAW) {
            return readBody(r);
        }
        if (flag != Tags.BATCH_LZ4) {
            throw r.malformed(flagAt, "unknown batch compression flag 0x" + Integer.toHexString(flag));
        }
        int lengthAt = r.pos;
        long rawLength = r.readVarLong();
        if (rawLength < 0 || rawLength > Limits.MAX_BATCH_BYTES) {
            throw r.limit(lengthAt, "batch length " + Long.toUnsignedString(rawLength)
                    + " exceeds MAX_BATCH_BYTES (" + Limits.MAX_BATCH_BYTES + ")");
        }
        int compressedLength = r.remaining();
        if (rawLength == 0 || rawLength > compressedLength * LZ4_MAX_RATIO) {
            throw r.malformed(lengthAt, "batch length " + rawLength + " impossible for "
                    + compressedLength + " compressed bytes");
        }
        byte[] body = new byte[(int) rawLength];
        int produced;
        try {
            produced = Lz4.DECOMPRESSOR.decompress(bytes, r.pos, compressedLength, body, 0, body.length);
        } catch (LZ4Exception e) {
            throw new BlazeFormatException(ErrorCode.MALFORMED_DATA, r.pos, "corrupt LZ4 block", e);
        }
        if (produced != rawLength) {
            throw r.malformed(lengthAt, "batch length " + rawLength + " but the LZ4 block holds " + produced + " bytes");
        }
        BlazeReader bodyReader = BlazeBinary.reader(body);
        try {
            return readBody(bodyReader);
        } catch (BlazeFormatException e) {
            throw new BlazeFormatException(e.code(), e.offset(),
                    "in the decompressed batch body, " + e.problem(), e);
        }
    }

    private static List<Operation> readBody(BlazeReader r) {
        int at = r.pos;
        // an operation takes at least 16 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 = 25 bytes
        int n = r.checkCount(r.readVarLong(), at, Limits.MAX_BATCH_OPERATIONS, "MAX_BATCH_OPERATIONS", "batch operation", 25);
        List<Operation> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(r.readOperation());
        }
        r.expectEnd();
        return ops;
    }
}
