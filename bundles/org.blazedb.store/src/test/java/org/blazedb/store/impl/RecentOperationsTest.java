package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.Test;

class RecentOperationsTest {
    private static final NodeId N = new NodeId(5, 6);

    private static Operation op(long seq) {
        return new Operation(new OpId(N, seq), new Hlc(1000 + seq, 0, N), "c", "d" + seq, OperationKind.DELETE,
                MapValue.EMPTY, Operation.noUnset(), VersionVector.EMPTY);
    }

    @Test
    void handsOutAnOperationOnlyForTheVeryRecordItWasAppendedWith() {
        RecentOperations recent = new RecentOperations();
        Operation first = op(1);
        byte[] record = LogRecords.encode(first);
        assertNull(recent.get(1, record), "nothing appended yet");
        recent.appended(1, record, first);
        assertSame(first, recent.get(1, record));
        assertNull(recent.get(1, record.clone()), "an equal record read back from disk is another array: decode it");
        assertNull(recent.get(1 + RecentOperations.CAPACITY, record), "another position in the same slot");
        Operation later = op(2);
        recent.appended(1 + RecentOperations.CAPACITY, record, later);
        assertNull(recent.get(1, record), "overwritten by a later position");
        assertSame(later, recent.get(1 + RecentOperations.CAPACITY, record));
    }

    @Test
    void forgetsWhatEveryFeedHasRead() {
        RecentOperations recent = new RecentOperations();
        Operation[] ops = new Operation[10];
        byte[][] records = new byte[10][];
        for (int p = 1; p <= 9; p++) {
            ops[p] = op(p);
            records[p] = LogRecords.encode(ops[p]);
            recent.appended(p, records[p], ops[p]);
        }
        recent.releaseUpTo(5);
        for (int p = 1; p <= 5; p++) {
            assertNull(recent.get(p, records[p]), "released " + p);
        }
        for (int p = 6; p <= 9; p++) {
            assertSame(ops[p], recent.get(p, records[p]), "kept " + p);
        }
    }
}
