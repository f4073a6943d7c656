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

    static CollectionInfo decode(byte[] record) {
        BlazeReader r = new BlazeReader(record);
        if (r.readByte() != 1) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "Unknown catalog record version");
        }
        long live = r.readVarLong();
        long n = r.readVarLong();
        TreeMap<String, Integer> indexes = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            indexes.put(r.readString(), (int) r.readVarLong());
        }
        return new CollectionInfo(live, indexes);
    }
}
