package org.blazedb.api.sync;

import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.blazedb.api.Hlc;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * One side of a conflict: a document's fields, whether it is deleted, and the clock stamp at which
 * each field (and the document as a whole) was last written.
 *
 * @param fields      the fields, empty when deleted
 * @param deleted     whether the document is a tombstone
 * @param stamp       the stamp of the last operation on the document
 * @param fieldStamps for each field present, the stamp of the operation that last set it
 */
public record DocumentVersion(MapValue fields, boolean deleted, Hlc stamp, SortedMap<String, Hlc> fieldStamps) {
    /** @param fields fields @param deleted tombstone @param stamp last stamp @param fieldStamps stamps, copied */
    public DocumentVersion {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(stamp, "stamp");
        TreeMap<String, Hlc> copy = new TreeMap<>(Value.KEY_ORDER);
        copy.putAll(Objects.requireNonNull(fieldStamps, "fieldStamps"));
        fieldStamps = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /** @param fields fields @param stamp stamp of all of them @return a version whose fields share one stamp */
    public static DocumentVersion uniform(MapValue fields, Hlc stamp) {
        TreeMap<String, Hlc> stamps = new TreeMap<>(Value.KEY_ORDER);
        for (String name : fields.entries().keySet()) {
            stamps.put(name, stamp);
        }
        return new DocumentVersion(fields, false, stamp, stamps);
    }

    /** @param stamp the delete's stamp @return a tombstone version */
    public static DocumentVersion tombstone(Hlc stamp) {
        return new DocumentVersion(MapValue.EMPTY, true, stamp, new TreeMap<>(Value.KEY_ORDER));
    }
}
