package org.blazedb.store.impl;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;

/**
 * What the catalog keeps about one collection: its number of live documents and its secondary
 * indexes (field name to index map number). Catalog record layout: {@code u8 version (1),
 * varint live, varint n, n × (string field, varint index number)}.
 *
 * @param live    live documents
 * @param indexes indexed fields and the number of each index's map
 */
record CollectionInfo(long live, SortedMap<String, Integer> indexes) {
    static final CollectionInfo EMPTY = new CollectionInfo(0, new TreeMap<>());

    CollectionInfo {
        indexes = Collections.unmodifiableSortedMap(new TreeMap<>(indexes));
    }

    CollectionInfo withLive(long n) {
        return new CollectionInfo(n, indexes);
    }

    CollectionInfo withIndex(String field, Integer number) {
        TreeMap<String, Integer> copy = new TreeMap<>(indexes);
        if (number == null) {
            copy.remove(field);
        } else {
            copy.put(field, number);
        }
        return new CollectionInfo(live, copy);
    }

    byte[] encode() {
        BlazeWriter w = new BlazeWriter(16);
        w.writeByte(1).writeVarLong(live).writeVarLong(indexes.size());
        indexes.forEach((f, n) -> w.writeString(f).writeVarLong(n));
        return w.toByteArray();
    }

    /**
     * @param record a catalog record read from disk
     * @return what it holds
     * @throws BlazeException CORRUPT_DATA when a count or index number is out of range (varints are
     *         unsigned on disk: 2^63 and up read as negative)
     */
    static CollectionInfo decode(byte[] record) {
        BlazeReader r = new BlazeReader(record);
        if (r.readByte() != 1) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "Unknown catalog record version");
        }
        long live = r.readVarLong();
        if (live < 0) {
            throw corrupt("live document count " + Long.toUnsignedString(live));
        }
        long n = r.readVarLong();
        if (n < 0 || n > r.remaining()) {
            throw corrupt("index count " + Long.toUnsignedString(n) + " (" + r.remaining() + " bytes left)");
        }
        TreeMap<String, Integer> indexes = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            String field = r.readString();
            long number = r.readVarLong();
            if (number < 1 || number > Integer.MAX_VALUE) { // numbers are given out from 1 (meta.nextIndex)
                throw corrupt("index number " + Long.toUnsignedString(number) + " of field '" + field + "'");
            }
            indexes.put(field, (int) number);
        }
        return new CollectionInfo(live, indexes);
    }

    private static BlazeException corrupt(String what) {
        return new BlazeException(ErrorCode.CORRUPT_DATA, "A catalog record is corrupt: its " + what + " is out of range");
    }
}
