package org.blazedb.codec;

import java.util.List;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Operation;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * BlazeBinary: how BlazeDB encodes values, documents, operations and batches of operations, in the
 * store, the operation log and on the wire. The format is specified in {@code docs/format.md}.
 *
 * <p>Every encoding here starts with a header byte {@code (version << 4) | kind} (version 2; kind
 * 1 value or document, 2 operation, 3 batch). A reader rejects a version it does not know rather
 * than guess at its layout. Encoding is canonical: equal values give equal bytes, because map keys
 * are written in {@link Value#KEY_ORDER}, every NaN as one bit pattern, and each value in exactly
 * one of its possible forms. {@code -0.0} and {@code 0.0} are different values (as
 * {@link org.blazedb.api.value.FloatValue} equality says) and are written differently.
 *
 * <p>Decoders treat their input as hostile: anything malformed, over a {@link Limits limit} or
 * followed by trailing bytes throws a {@link BlazeFormatException} naming the problem and its byte
 * offset. All methods are thread-safe.
 */
public final class BlazeBinary {
    /** The format version this implementation writes and the only one it reads. */
    public static final int FORMAT_VERSION = Tags.FORMAT_VERSION;

    /** Reuses one writer per thread, so encoding a document does not regrow a fresh buffer. */
    private static final ThreadLocal<BlazeWriter> WRITERS = ThreadLocal.withInitial(() -> new BlazeWriter(1024, true));

    private BlazeBinary() {
    }

    /**
     * @param value a value
     * @return its canonical encoding
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if it breaks a {@link Limits limit}
     *                        or holds a string with an unpaired surrogate
     */
    public static byte[] encodeValue(Value value) {
        BlazeWriter w = writer(Tags.KIND_VALUE);
        w.writeValue(value);
        return finish(w);
    }

    /**
     * @param bytes an encoding from {@link #encodeValue} or {@link #encodeDocument}
     * @return the value
     * @throws BlazeFormatException if the bytes are not exactly one valid value
     */
    public static Value decodeValue(byte[] bytes) {
        BlazeReader r = BlazeReader.forThisThread(bytes);
        try {
            checkSize(r, bytes.length);
            readHeader(r, Tags.KIND_VALUE);
            Value v = r.readTree();
            r.expectEnd();
            return v;
        } finally {
            r.release();
        }
    }

    /**
     * @param fields a document's fields
     * @return their canonical encoding: a value encoding whose value is a map
     * @throws BlazeException ({@link ErrorCode#DOCUMENT_TOO_LARGE}) above
     *                        {@link Limits#MAX_DOCUMENT_BYTES}, or as {@link #encodeValue}
     */
    public static byte[] encodeDocument(MapValue fields) {
        BlazeWriter w = writer(Tags.KIND_VALUE);
        w.writeValue(fields);
        if (w.size() > Limits.MAX_DOCUMENT_BYTES) {
            throw new BlazeException(ErrorCode.DOCUMENT_TOO_LARGE, "The document encodes to " + w.size()
                    + " bytes, more than MAX_DOCUMENT_BYTES (" + Limits.MAX_DOCUMENT_BYTES + "); split it up");
        }
        return finish(w);
    }

    /**
     * @param bytes an encoding from {@link #encodeDocument}
     * @return the document's fields
     * @throws BlazeFormatException if the bytes are not exactly one valid map value
     */
    public static MapValue decodeDocument(byte[] bytes) {
        BlazeReader r = BlazeReader.forThisThread(bytes);
        try {
            checkSize(r, bytes.length);
            readHeader(r, Tags.KIND_VALUE);
            int at = r.pos;
            Value v = r.readTree();
            if (!(v instanceof MapValue)) {
                throw r.malformed(at, "a document is a map, found a " + v.type());
            }
            r.expectEnd();
            return (MapValue) v;
        } finally {
            r.release();
        }
    }

    /**
     * @param op an operation
     * @return its canonical encoding
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if it breaks a {@link Limits limit}
     */
    public static byte[] encodeOperation(Operation op) {
        BlazeWriter w = writer(Tags.KIND_OPERATION);
        w.writeOperation(op);
        return finish(w);
    }

    /**
     * @param bytes an encoding from {@link #encodeOperation}
     * @return the operation
     * @throws BlazeFormatException if the bytes are not exactly one valid operation
     */
    public static Operation decodeOperation(byte[] bytes) {
        BlazeReader r = reader(bytes);
        checkSize(r, bytes.length);
        readHeader(r, Tags.KIND_OPERATION);
        Operation op = r.readOperation();
        r.expectEnd();
        return op;
    }

    /**
     * Encodes a batch of operations, LZ4-compressed when that saves at least an eighth of its size
     * (a flag byte says which).
     *
     * @param ops at most {@link Limits#MAX_BATCH_OPERATIONS} operations
     * @return the batch encoding
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if the batch breaks a {@link Limits limit}
     */
    public static byte[] encodeBatch(List<Operation> ops) {
        return BatchCodec.encode(ops, true);
    }

    /**
     * @param ops              at most {@link Limits#MAX_BATCH_OPERATIONS} operations
     * @param allowCompression false to always write the uncompressed form
     * @return the batch encoding
     */
    public static byte[] encodeBatch(List<Operation> ops, boolean allowCompression) {
        return BatchCodec.encode(ops, allowCompression);
    }

    /**
     * Encodes a batch of operations that are already encoded, as {@link #encodeBatch(List)} would
     * encode them decoded: the operations are copied, not checked (a reader checks them).
     *
     * @param count      how many operations {@code operations} holds, at most
     *                   {@link Limits#MAX_BATCH_OPERATIONS}
     * @param operations the operations back to back, each as {@link BlazeWriter#writeOperation}
     *                   writes it (no header byte)
     * @return the batch encoding, LZ4-compressed when that saves at least an eighth of its size
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if the batch breaks a {@link Limits limit}
     */
    public static byte[] encodeBatch(int count, BlazeWriter operations) {
        return BatchCodec.encodeEncoded(count, operations, true);
    }

    /**
     * @param bytes an encoding from {@link #encodeBatch}, compressed or not
     * @return the operations, in order
     * @throws BlazeFormatException if the bytes are not exactly one valid batch
     */
    public static List<Operation> decodeBatch(byte[] bytes) {
        return BatchCodec.decode(bytes);
    }

    /**
     * Decodes text the way this format decodes its strings: strictly (malformed UTF-8 is refused,
     * never replaced), with a fast path for ASCII. For other formats that keep UTF-8, such as the
     * store's map keys.
     *
     * @param utf8 the bytes
     * @return the text
     * @throws BlazeFormatException ({@link ErrorCode#MALFORMED_DATA}) if the bytes are not well-formed UTF-8
     * @since 1.2
     */
    public static String decodeUtf8(byte[] utf8) {
        String s = Utf8.decodeValue(utf8, 0, utf8.length);
        if (s == null) {
            throw new BlazeFormatException(ErrorCode.MALFORMED_DATA, 0, "text is not well-formed UTF-8");
        }
        return s;
    }

    /** @return "native" when batches use the JNI LZ4 library, otherwise "java" and the reason */
    public static String lz4Implementation() {
        return Lz4.DESCRIPTION;
    }

    static BlazeReader reader(byte[] bytes) {
        return new BlazeReader(bytes);
    }

    private static BlazeWriter writer(int kind) {
        BlazeWriter w = WRITERS.get();
        w.reset();
        w.writeByte(Tags.header(kind));
        return w;
    }

    private static byte[] finish(BlazeWriter w) {
        byte[] out = w.toByteArray();
        w.reset();
        return out;
    }

    private static void checkSize(BlazeReader r, int length) {
        if (length > Limits.MAX_DOCUMENT_BYTES) {
            throw r.limit(0, "input of " + length + " bytes exceeds MAX_DOCUMENT_BYTES (" + Limits.MAX_DOCUMENT_BYTES + ")");
        }
    }

    /** Reads and checks the header byte: a known version and the expected kind. */
    static void readHeader(BlazeReader r, int expectedKind) {
        int at = r.pos;
        if (r.remaining() == 0) {
            throw r.malformed(at, "empty input: no BlazeBinary header byte");
        }
        int header = r.readByte();
        int version = header >>> 4;
        int kind = header & 15;
        if (version == 1) {
            // version 1 differs only in map keys and timestamps, but a best-effort reading could
            // misread its keys as values: it is refused, as docs/format.md says
            throw r.malformed(at, "BlazeBinary format version 1 is no longer read (this reader knows "
                    + Tags.FORMAT_VERSION + " only): the data was written by an earlier BlazeDB 0.2.0-SNAPSHOT;"
                    + " export it as JSON with that build and import it here");
        }
        if (version != Tags.FORMAT_VERSION) {
            throw r.malformed(at, "unsupported BlazeBinary format version " + version + " (this reader knows "
                    + Tags.FORMAT_VERSION + "; data from a newer BlazeDB needs a newer reader)");
        }
        if (kind != expectedKind) {
            throw r.malformed(at, "expected " + Tags.kindName(expectedKind) + " but the header says " + Tags.kindName(kind));
        }
    }
}
