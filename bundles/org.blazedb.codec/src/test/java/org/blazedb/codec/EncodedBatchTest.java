package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Operation;
import org.junit.jupiter.api.Test;

/** {@link BlazeBinary#encodeBatch(int, BlazeWriter)}: a batch of operations encoded beforehand. */
class EncodedBatchTest {
    @Test
    void makesTheBytesEncodeBatchMakesOfTheOperations() {
        RandomValues random = new RandomValues(42);
        for (int n : new int[] {0, 1, 2, 50, 1000}) {
            List<Operation> ops = new ArrayList<>();
            BlazeWriter encoded = new BlazeWriter();
            for (int i = 0; i < n; i++) {
                Operation op = random.operation();
                ops.add(op);
                encoded.writeOperation(op);
            }
            byte[] batch = BlazeBinary.encodeBatch(n, encoded);
            assertArrayEquals(BlazeBinary.encodeBatch(ops), batch, n + " operations");
            assertEquals(ops, BlazeBinary.decodeBatch(batch));
        }
    }

    @Test
    void refusesMoreOperationsThanABatchMayHold() {
        BlazeException e = assertThrows(BlazeException.class,
                () -> BlazeBinary.encodeBatch(Limits.MAX_BATCH_OPERATIONS + 1, new BlazeWriter()));
        assertEquals(ErrorCode.INVALID_VALUE, e.code());
    }
}
