package org.blazedb.resolver.merge.impl;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.blazedb.api.Hlc;
import org.blazedb.api.Operation;
import org.blazedb.api.Pids;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.osgi.service.component.annotations.Component;

/**
 * Field-level merge: concurrent changes to different fields are all kept; where both versions
 * know the same field (hold it, or removed it with a patch), the later stamp (by hybrid logical
 * clock) decides whether and with which value it stays. A field only one side knows is kept as that
 * side has it. When either side is a delete, the whole documents are compared last-writer-wins,
 * exactly as the {@code lww} resolver does (equal stamps keep the incoming side), because a
 * tombstone has no fields to merge. The result depends only on the two versions, not on which is
 * local.
 *
 * <p>Where the merge keeps more than the store's deterministic merge (a field of one side that the
 * other side's later put did not carry, say), the store writes the decision as a new operation,
 * which replicates it (see {@link ConflictResolver}).
 *
 * <p>Ranked 10, above {@code lww}: while this bundle runs it decides new conflicts, unless an
 * engine's configuration names another resolver.
 */
@Component(configurationPid = Pids.RESOLVER_MERGE,
        property = {ConflictResolver.NAME + "=" + FieldMergeResolver.NAME, "service.ranking:Integer=10"})
public class FieldMergeResolver implements ConflictResolver {
    /** The value of {@link ConflictResolver#NAME} this resolver registers with. */
    public static final String NAME = "merge";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Resolution resolve(Conflict conflict) {
        DocumentVersion local = conflict.local();
        DocumentVersion incoming = incomingAlone(conflict);
        if (local.deleted() || incoming.deleted()) {
            // as lww: ties go to the incoming side
            boolean incomingWins = !local.stamp().isAfter(incoming.stamp());
            DocumentVersion winner = incomingWins ? incoming : local;
            return new Resolution(winner, "a delete is involved: the later of the two wins whole (" + winner.stamp() + ")");
        }
        MapValue.Builder fields = MapValue.builder();
        SortedMap<String, Hlc> stamps = new TreeMap<>(Value.KEY_ORDER);
        SortedMap<String, Hlc> removed = new TreeMap<>(Value.KEY_ORDER);
        TreeSet<String> names = new TreeSet<>(Value.KEY_ORDER);
        names.addAll(local.fields().entries().keySet());
        names.addAll(local.removedStamps().keySet());
        names.addAll(incoming.fields().entries().keySet());
        names.addAll(incoming.removedStamps().keySet());
        int fromLocal = 0;
        int fromIncoming = 0;
        for (String name : names) {
            DocumentVersion source = pick(name, local, incoming);
            Value value = source.fields().entries().get(name);
            if (value != null) {
                fields.put(name, value);
                stamps.put(name, stampOf(source, name));
            } else {
                removed.put(name, source.removedStamps().get(name));
            }
            if (source == local) {
                fromLocal++;
            } else {
                fromIncoming++;
            }
        }
        Hlc stamp = incoming.stamp().isAfter(local.stamp()) ? incoming.stamp() : local.stamp();
        return new Resolution(new DocumentVersion(fields.build(), false, stamp, stamps, removed),
                "field merge: " + fromLocal + " field(s) kept from the local version, " + fromIncoming
                        + " from the incoming one");
    }

    /**
     * The incoming side as the operation leaves the document "applied on its own": for a put its
     * fields, all stamped with its stamp; for a delete a tombstone. Derived from the operation rather
     * than taken from {@link Conflict#incoming()} so that the result does not depend on what else
     * the replica holds (a replica that applies the older of two concurrent puts second must see the
     * same two versions as the other replica). A patch only makes sense on top of a document, so its
     * incoming version is the one given.
     */
    private static DocumentVersion incomingAlone(Conflict conflict) {
        Operation op = conflict.operation();
        return switch (op.kind()) {
            case PUT -> DocumentVersion.uniform(op.fields(), op.stamp());
            case DELETE -> DocumentVersion.tombstone(op.stamp());
            case PATCH -> conflict.incoming();
        };
    }

    /**
     * The side whose state of {@code name} (a value, or removed) to keep: the only side that knows
     * the field, or the one that wrote it later (the incoming one on equal stamps, as lww).
     */
    private static DocumentVersion pick(String name, DocumentVersion local, DocumentVersion incoming) {
        Hlc inLocal = claim(local, name);
        Hlc inIncoming = claim(incoming, name);
        if (inIncoming == null) {
            return local;
        }
        if (inLocal == null) {
            return incoming;
        }
        return inLocal.isAfter(inIncoming) ? local : incoming;
    }

    /** @return when {@code version} last set or removed {@code name}, or null if it knows nothing of it */
    private static Hlc claim(DocumentVersion version, String name) {
        if (version.fields().entries().containsKey(name)) {
            return stampOf(version, name);
        }
        return version.removedStamps().get(name);
    }

    private static Hlc stampOf(DocumentVersion version, String field) {
        Hlc stamp = version.fieldStamps().get(field);
        return stamp != null ? stamp : version.stamp();
    }
}
