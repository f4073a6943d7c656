package org.blazedb.codec;

/**
 * The named limits every BlazeBinary decoder enforces. A decoder checks each length or count it
 * reads against the matching limit <em>and</em> against the bytes still unread before it allocates
 * anything, so hostile input costs at most a small constant factor of its own size in memory. The
 * encoders refuse to produce what the decoders would refuse. Changing a limit changes what peers
 * accept: lower one only with a format version bump.
 */
public final class Limits {
    /**
     * Deepest nesting of lists and maps: a top-level map is depth 1, a list inside it depth 2.
     * Deep enough for any realistic document, shallow enough that recursive decoding cannot
     * overflow a thread stack.
     */
    public static final int MAX_DEPTH = 64;

    /** Longest string value or map key, in UTF-8 bytes (16 MiB). */
    public static final int MAX_STRING_BYTES = 16 << 20;

    /** Longest bytes value (16 MiB). */
    public static final int MAX_BYTES_LENGTH = 16 << 20;

    /** Most elements of one list, or entries of one map. */
    public static final int MAX_ELEMENTS = 1 << 20;

    /**
     * Most distinct map keys remembered for back-references within one value tree; later new keys
     * are written in full. Bounds the decoder's key table.
     */
    public static final int MAX_KEY_TABLE = 4096;

    /** Largest encoded document, value or operation (16 MiB). */
    public static final int MAX_DOCUMENT_BYTES = 16 << 20;

    /** Longest collection name or document id in an operation, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 4096;

    /** Most entries of one version vector. */
    public static final int MAX_VECTOR_ENTRIES = 1 << 16;

    /** Most operations in one batch. */
    public static final int MAX_BATCH_OPERATIONS = 10_000;

    /** Largest batch, uncompressed (64 MiB): bounds the buffer LZ4 decompresses into. */
    public static final int MAX_BATCH_BYTES = 64 << 20;

    private Limits() {
    }
}
