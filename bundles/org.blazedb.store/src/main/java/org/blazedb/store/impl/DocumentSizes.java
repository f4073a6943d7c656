package org.blazedb.store.impl;

import org.blazedb.api.Document;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.Value;

/**
 * Estimates the heap a cached {@link Document} takes, for the {@link DocumentCache}'s bound: object
 * headers and fields as a 64-bit JVM with compressed references lays them out, strings as Latin-1
 * when they are. An estimate, not a measurement: shared objects (field names the decoder reuses,
 * node ids) are counted for every document, so the cache stays under its bound rather than over.
 */
final class DocumentSizes {
    /** The cache's own entry, its key and the hash map's node. */
    static final int ENTRY_OVERHEAD = 24 + 24 + 32;
    /** Document 32, version (Hlc 32 + NodeId 32), lastOp (OpId 24 + NodeId 32). */
    static final int DOCUMENT_FIXED = 32 + 64 + 56;

    private DocumentSizes() {
    }

    /**
     * @param document    a decoded document
     * @param recordBytes the size of its record (a floor for the estimate)
     * @return its estimated size in bytes, with the cache's overhead
     */
    static int estimate(Document document, int recordBytes) {
        long size = ENTRY_OVERHEAD + DOCUMENT_FIXED + string(document.id()) + value(document.fields());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(size, recordBytes));
    }

    private static long value(Value v) {
        if (v instanceof StringValue s) {
            return 16 + string(s.value());
        }
        if (v instanceof MapValue m) {
            int n = m.size();
            long size = 24 + 2 * array(n);
            for (int i = 0; i < n; i++) {
                size += string(m.keyAt(i)) + value(m.valueAt(i));
            }
            return size;
        }
        if (v instanceof ListValue l) {
            long size = 16 + 16 + array(l.size());
            for (Value e : l.values()) {
                size += value(e);
            }
            return size;
        }
        if (v instanceof BytesValue b) {
            return 16 + align(16 + b.length());
        }
        return 40; // a number, boolean, timestamp or UUID: its record and, for the last two, the JDK object
    }

    private static long string(String s) {
        boolean latin1 = true;
        for (int i = 0; i < s.length() && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        return 24 + align(16 + (long) s.length() * (latin1 ? 1 : 2));
    }

    private static long array(int references) {
        return align(16 + 4L * references);
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
