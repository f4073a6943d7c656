package org.blazedb.api.sync;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.blazedb.api.Hlc;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * One side of a conflict: a document's fields, whether it is deleted, and the clock stamp at which
 * each field (and the document as a whole) was last written or removed.
 *
 * <p>{@code removedStamps} lets a resolver tell "this side never had the field" from "this side
 * removed it at stamp s": without it a field-level merge would resurrect a field that a later
 * patch removed on one side only.
 *
 * @param fields        the fields, empty when deleted
 * @param deleted       whether the document is a tombstone
 * @param stamp         the stamp of the last operation on the document
 * @param fieldStamps   for each field present, the stamp of the operation that last set it
 * @param removedStamps for each field a patch removed since the document was last put (and that is
 *                      absent now), the stamp of that patch; empty for a tombstone
 */
public record DocumentVersion(MapValue fields, boolean deleted, Hlc stamp, SortedMap<String, Hlc> fieldStamps,
                              SortedMap<String, Hlc> removedStamps) {
    private static final SortedMap<String, Hlc> NONE = Collections.unmodifiableSortedMap(new TreeMap<>(Value.KEY_ORDER));

    /**
     * @param fields        fields
     * @param deleted       tombstone
     * @param stamp         last stamp
     * @param fieldStamps   stamps of present fields, copied
     * @param removedStamps stamps of removed fields, copied; a name may not be in both maps
     */
    public DocumentVersion {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(stamp, "stamp");
        fieldStamps = copy(Objects.requireNonNull(fieldStamps, "fieldStamps"));
        removedStamps = copy(Objects.requireNonNull(removedStamps, "removedStamps"));
        for (String name : removedStamps.keySet()) {
            if (fields.entries().containsKey(name)) {
                throw new IllegalArgumentException("Field '" + name + "' is both present and removed");
            }
        }
    }

    /**
     * A version with no removed fields recorded.
     *
     * @param fields      fields
     * @param deleted     tombstone
     * @param stamp       last stamp
     * @param fieldStamps stamps of present fields, copied
     */
    public DocumentVersion(MapValue fields, boolean deleted, Hlc stamp, SortedMap<String, Hlc> fieldStamps) {
        this(fields, deleted, stamp, fieldStamps, NONE);
    }

    /** @param fields fields @param stamp stamp of all of them @return a version whose fields share one stamp */
    public static DocumentVersion uniform(MapValue fields, Hlc stamp) {
        TreeMap<String, Hlc> stamps = new TreeMap<>(Value.KEY_ORDER);
        for (String name : fields.entries().keySet()) {
            stamps.put(name, stamp);
        }
        return new DocumentVersion(fields, false, stamp, stamps, NONE);
    }

    /** @param stamp the delete's stamp @return a tombstone version */
    public static DocumentVersion tombstone(Hlc stamp) {
        return new DocumentVersion(MapValue.EMPTY, true, stamp, NONE, NONE);
    }

    /**
     * @param other another version
     * @return whether both show the same document: both deleted, or both live with equal fields
     *         (stamps are not compared)
     */
    public boolean sameContent(DocumentVersion other) {
        return deleted == other.deleted && (deleted || fields.equals(other.fields));
    }

    private static SortedMap<String, Hlc> copy(SortedMap<String, Hlc> stamps) {
        if (stamps.isEmpty()) {
            return NONE;
        }
        TreeMap<String, Hlc> copy = new TreeMap<>(Value.KEY_ORDER);
        copy.putAll(stamps);
        return Collections.unmodifiableSortedMap(copy);
    }
}
