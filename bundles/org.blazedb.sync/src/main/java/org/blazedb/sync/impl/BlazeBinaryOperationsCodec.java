package org.blazedb.sync.impl;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
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
        int size = 48 + op.collection().length() + op.documentId().length() + 20 * op.context().entries().size();
        for (String name : op.unset()) {
            size += name.length() + 2;
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
            for (Map.Entry<String, Value> e : m.entries().entrySet()) {
                size += e.getKey().length() + 2 + estimate(e.getValue());
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
