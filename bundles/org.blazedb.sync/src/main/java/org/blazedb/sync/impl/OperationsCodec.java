package org.blazedb.sync.impl;

import java.nio.ByteBuffer;
import java.util.List;
import org.blazedb.api.Operation;

/**
 * Encodes the operations of one OPS batch. The engine uses BlazeBinary's batch encoding
 * ({@link BlazeBinaryOperationsCodec}); tests may substitute another.
 */
interface OperationsCodec {
    /** @param ops operations @return their encoding, compressed when that pays */
    ByteBuffer encode(List<Operation> ops);

    /** @param batch operations gathered encoded @return the same encoding as {@link #encode(List)} of them */
    ByteBuffer encode(OutgoingBatch batch);

    /**
     * @param payload an encoding made by {@link #encode}
     * @return the operations
     * @throws org.blazedb.api.BlazeException {@code MALFORMED_DATA} or {@code LIMIT_EXCEEDED}
     */
    List<Operation> decode(ByteBuffer payload);

    /** @param op an operation @return roughly how many bytes it takes encoded, to bound batches */
    int estimateSize(Operation op);
}
