package org.blazedb.sync.impl;

import java.nio.ByteBuffer;
import java.util.List;
import org.blazedb.api.Operation;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;

/**
 * OPS payloads in BlazeBinary's batch encoding ({@code docs/format.md}), which LZ4-compresses a
 * batch when that pays and checks every limit when decoding.
 */
final class BlazeBinaryOperationsCodec implements OperationsCodec {
    @Override
    public ByteBuffer encode(List<Operation> ops) {
        return ByteBuffer.wrap(BlazeBinary.encodeBatch(ops));
    }

    @Override
    public ByteBuffer encode(OutgoingBatch batch) {
        return ByteBuffer.wrap(BlazeBinary.encodeBatch(batch.count(), batch.operations()));
    }

    @Override
    public List<Operation> decode(ByteBuffer payload) {
        byte[] bytes;
        if (payload.hasArray() && payload.arrayOffset() == 0 && payload.position() == 0
                && payload.limit() == payload.array().length) {
            bytes = payload.array();
        } else {
            bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
        }
        return BlazeBinary.decodeBatch(bytes);
    }

    @Override
    public int estimateSize(Operation op) {
        // ids, stamp, kind, context: about 16 bytes per vector entry plus fixed fields
        int size = 48 + op.collection().length() + op.documentId().length() + 20 * op.context().size();
        if (!op.unset().isEmpty()) { // a put has none: no iterator to make
            for (String name : op.unset()) {
                size += name.length() + 2;
            }
        }
        return size + estimate(op.fields());
    }

    private static int estimate(Value v) {
        if (v instanceof StringValue s) {
            return s.value().length() + 3;
        } else if (v instanceof BytesValue b) {
            return b.length() + 3;
        } else if (v instanceof MapValue m) {
            int size = 3;
            // by index: the entries() view would be made (and iterated) for every document sent
            for (int i = 0; i < m.size(); i++) {
                size += m.keyAt(i).length() + 2 + estimate(m.valueAt(i));
            }
            return size;
        } else if (v instanceof ListValue l) {
            int size = 3;
            for (Value item : l.values()) {
                size += estimate(item);
            }
            return size;
        }
        return 9;
    }
}
