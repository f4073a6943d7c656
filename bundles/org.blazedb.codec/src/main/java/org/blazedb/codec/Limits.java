package org.blazedb.codec;

/** Named limits of BlazeBinary, checked before allocating. */
public final class Limits {
    /** The largest encoded document. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 20;
    /** The deepest nesting of lists and maps. */
    public static final int MAX_DEPTH = 64;
    /** The most elements of one list or map. */
    public static final int MAX_ELEMENTS = 1 << 20;
    /** The longest string or byte string. */
    public static final int MAX_BYTES = 16 << 20;

    private Limits() {
    }
}
