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
 * hold the same field, the one stamped later (by hybrid logical clock) wins that field. A field
 * only one side holds is kept. When either side is a delete, the whole documents are compared
 * last-writer-wins, exactly as the {@code lww} resolver does, because a tombstone has no fields to
 * merge. The result depends only on the two versions, not on which is local, so replicas converge.
 *
 * <p>Ranked 10, above {@code lww}: while this bundle runs it decides new conflicts.
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
            boolean incomingWins = incoming.stamp().isAfter(local.stamp());
            DocumentVersion winner = incomingWins ? incoming : local;
            return new Resolution(winner, "a delete is involved: the later of the two wins whole (" + winner.stamp() + ")");
        }
        MapValue.Builder fields = MapValue.builder();
        SortedMap<String, Hlc> stamps = new TreeMap<>(Value.KEY_ORDER);
        TreeSet<String> names = new TreeSet<>(Value.KEY_ORDER);
        names.addAll(local.fields().entries().keySet());
        names.addAll(incoming.fields().entries().keySet());
        int fromLocal = 0;
        int fromIncoming = 0;
        for (String name : names) {
            DocumentVersion source = pick(name, local, incoming);
            fields.put(name, source.fields().entries().get(name));
            stamps.put(name, stampOf(source, name));
            if (source == local) {
                fromLocal++;
            } else {
                fromIncoming++;
            }
        }
        Hlc stamp = incoming.stamp().isAfter(local.stamp()) ? incoming.stamp() : local.stamp();
        return new Resolution(new DocumentVersion(fields.build(), false, stamp, stamps),
                "field merge: " + fromLocal + " field(s) kept from the local version, " + fromIncoming
                        + " from the incoming one");
    }

    /**
     * The incoming side as the operation leaves the document "applied on its own" (the
     * {@link Conflict} contract): for a put its fields, all stamped with its stamp; for a delete a
     * tombstone. Derived from the operation rather than taken from {@link Conflict#incoming()} so
     * that the result does not depend on what else the replica holds (a replica that applies the
     * older of two concurrent puts second must see the same two versions as the other replica).
     * A patch only makes sense on top of a document, so its incoming version is the one given.
     */
    private static DocumentVersion incomingAlone(Conflict conflict) {
        Operation op = conflict.operation();
        return switch (op.kind()) {
            case PUT -> DocumentVersion.uniform(op.fields(), op.stamp());
            case DELETE -> DocumentVersion.tombstone(op.stamp());
            case PATCH -> conflict.incoming();
        };
    }

    /** The side whose value of {@code name} to keep: the only holder, or the later stamp. */
    private static DocumentVersion pick(String name, DocumentVersion local, DocumentVersion incoming) {
        boolean inLocal = local.fields().entries().containsKey(name);
        boolean inIncoming = incoming.fields().entries().containsKey(name);
        if (!inIncoming) {
            return local;
        }
        if (!inLocal) {
            return incoming;
        }
        return stampOf(incoming, name).isAfter(stampOf(local, name)) ? incoming : local;
    }

    private static Hlc stampOf(DocumentVersion version, String field) {
        Hlc stamp = version.fieldStamps().get(field);
        return stamp != null ? stamp : version.stamp();
    }
}
