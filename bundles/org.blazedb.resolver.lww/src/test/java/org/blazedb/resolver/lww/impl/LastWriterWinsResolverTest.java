package org.blazedb.resolver.lww.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.Test;

class LastWriterWinsResolverTest {
    private static final NodeId A = new NodeId(0, 1);
    private static final NodeId B = new NodeId(0, 2);
    private final LastWriterWinsResolver resolver = new LastWriterWinsResolver();

    @Test
    void laterStampWinsWholeDocumentInEitherOrder() {
        DocumentVersion early = DocumentVersion.uniform(MapValue.builder().put("a", 1).put("b", 1).build(), new Hlc(100, 0, A));
        DocumentVersion late = DocumentVersion.uniform(MapValue.builder().put("c", 2).build(), new Hlc(100, 1, B));
        assertEquals(late, resolver.resolve(conflict(early, late)).result());
        assertEquals(late, resolver.resolve(conflict(late, early)).result());
    }

    @Test
    void tieOnWallTimeAndCounterIsBrokenByNodeId() {
        DocumentVersion fromA = DocumentVersion.uniform(MapValue.builder().put("x", 1).build(), new Hlc(5, 0, A));
        DocumentVersion fromB = DocumentVersion.uniform(MapValue.builder().put("x", 2).build(), new Hlc(5, 0, B));
        assertEquals(fromB, resolver.resolve(conflict(fromA, fromB)).result());
        assertEquals(fromB, resolver.resolve(conflict(fromB, fromA)).result());
    }

    @Test
    void laterDeleteWinsAndLaterWriteRecreates() {
        DocumentVersion write = DocumentVersion.uniform(MapValue.builder().put("x", 1).build(), new Hlc(10, 0, A));
        DocumentVersion delete = DocumentVersion.tombstone(new Hlc(11, 0, B));
        Resolution r = resolver.resolve(conflict(write, delete));
        assertTrue(r.result().deleted());
        assertTrue(r.explanation().contains("delete"), r.explanation());
        DocumentVersion rewrite = DocumentVersion.uniform(MapValue.builder().put("x", 3).build(), new Hlc(12, 0, A));
        assertEquals(rewrite, resolver.resolve(conflict(delete, rewrite)).result());
    }

    private static Conflict conflict(DocumentVersion local, DocumentVersion incoming) {
        Operation op = new Operation(new OpId(incoming.stamp().node(), 1), incoming.stamp(), "c", "d",
                incoming.deleted() ? OperationKind.DELETE : OperationKind.PUT,
                incoming.deleted() ? MapValue.EMPTY : incoming.fields(), Operation.noUnset(), VersionVector.EMPTY);
        return new Conflict("c", "d", local, incoming, op);
    }
}
