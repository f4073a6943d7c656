package org.blazedb.codec;

/**
 * The BlazeBinary header and value tag bytes (format version 2). Summary of {@code docs/format.md}:
 *
 * <pre>
 * header  = (version &lt;&lt; 4) | kind      kind 1 value/document, 2 operation, 3 batch; version 2
 * varint  = unsigned LEB128, 1..10 bytes, shortest form only
 * zigzag  = (n &lt;&lt; 1) ^ (n &gt;&gt; 63), then varint
 * value   = tag payload
 *   0x00 null            0x01 false           0x02 true
 *   0x03 int &gt;= 64  varint n
 *   0x04 float64  8 bytes little-endian IEEE 754, NaN as 0x7ff8000000000000 (only if not decimal)
 *   0x05 int &lt; 0   varint (-1 - n)
 *   0x06 string   varint length, UTF-8     (only for 64 bytes or more)
 *   0x07 bytes    varint length, bytes
 *   0x08 timestamp, whole milliseconds: zigzag epoch millis (only outside 0..2^44-1)
 *   0x09 timestamp: zigzag epoch seconds, varint nanos (only when not whole milliseconds)
 *   0x0A uuid     16 bytes big-endian
 *   0x0B list     varint count, values      (only for 16 elements or more)
 *   0x0C map      varint count, entries     (only for 16 entries or more)
 *   0x10..0x1F    decimal float m / 10^s, s = tag - 0x10: varint zigzag(m) &lt; 2^40, m % 10 != 0 if s &gt; 0
 *   0x20..0x2F    timestamp of m whole milliseconds since the epoch, 0 &lt;= m &lt; 2^44: the tag's low
 *                 4 bits are m &gt;&gt; 40, then 5 bytes little-endian of m's low 40 bits
 *   0x40..0x7F    int 0..63
 *   0x80..0xBF    string of 0..63 UTF-8 bytes, which follow
 *   0xC0..0xCF    list of 0..15 values
 *   0xD0..0xDF    map of 0..15 entries
 * entry   = key value, keys strictly ascending in code point order
 * key     = varint (index &lt;&lt; 1 | 1)                            a repeat of key table entry index
 *         | varint (chars &lt;&lt; 2 | 2) + 6-bit packed characters  a new key of [-0-9A-Z_a-z] only
 *         | varint (len &lt;&lt; 2) + UTF-8                          any other new key
 *         (new keys join the key table; see PackedKeys)
 * </pre>
 */
final class Tags {
    static final int FORMAT_VERSION = 2;
    static final int KIND_VALUE = 1;
    static final int KIND_OPERATION = 2;
    static final int KIND_BATCH = 3;

    static final int NULL = 0x00;
    static final int FALSE = 0x01;
    static final int TRUE = 0x02;
    static final int INT_POSITIVE = 0x03;
    static final int FLOAT64 = 0x04;
    static final int INT_NEGATIVE = 0x05;
    static final int STRING = 0x06;
    static final int BYTES = 0x07;
    static final int TIMESTAMP_MILLIS = 0x08;
    static final int TIMESTAMP = 0x09;
    static final int UUID = 0x0A;
    static final int LIST = 0x0B;
    static final int MAP = 0x0C;

    static final int DECIMAL = 0x10;
    /** 0x20..0x2F: a timestamp of m whole milliseconds, 0 &lt;= m &lt; 2^44: top 4 bits in the tag, 5 bytes LE. */
    static final int EPOCH_MILLIS = 0x20;
    static final int EPOCH_MILLIS_COUNT = 16;
    static final int EPOCH_MILLIS_TAG_SHIFT = 40;
    static final int DECIMAL_COUNT = 16;
    static final int SMALL_INT = 0x40;
    static final int SMALL_INT_COUNT = 64;
    static final int SHORT_STRING = 0x80;
    static final int SHORT_STRING_COUNT = 64;
    static final int SMALL_LIST = 0xC0;
    static final int SMALL_MAP = 0xD0;
    static final int SMALL_CONTAINER_COUNT = 16;

    /** Batch flag: the body follows as is. */
    static final int BATCH_RAW = 0x00;
    /** Batch flag: varint body length, then the body as one LZ4 block. */
    static final int BATCH_LZ4 = 0x01;

    private Tags() {
    }

    static int header(int kind) {
        return (FORMAT_VERSION << 4) | kind;
    }

    static String kindName(int kind) {
        switch (kind) {
            case KIND_VALUE: return "a value";
            case KIND_OPERATION: return "an operation";
            case KIND_BATCH: return "a batch";
            default: return "an unknown kind " + kind;
        }
    }
}
