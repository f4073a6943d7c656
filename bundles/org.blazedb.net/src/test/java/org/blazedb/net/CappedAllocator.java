package org.blazedb.net;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * An allocator whose buffers can never grow beyond {@code cap} bytes (growing past it throws), and
 * which records the largest capacity requested: a hard check that decoding never buffers more than
 * the frame limit allows.
 */
final class CappedAllocator extends AbstractByteBufAllocator {
    private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false);
    final int cap;
    int largestRequest;

    CappedAllocator(int cap) {
        super(false);
        this.cap = cap;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return record(delegate.heapBuffer(initialCapacity, Math.min(maxCapacity, cap)), initialCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return record(delegate.heapBuffer(initialCapacity, Math.min(maxCapacity, cap)), initialCapacity);
    }

    private ByteBuf record(ByteBuf buf, int requested) {
        largestRequest = Math.max(largestRequest, requested);
        if (requested > cap) {
            throw new AssertionError("allocation of " + requested + " bytes exceeds the cap of " + cap);
        }
        return buf;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
