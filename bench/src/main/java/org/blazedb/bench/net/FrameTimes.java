package org.blazedb.bench.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.Operation;
import org.blazedb.codec.BlazeBinary;

/**
 * When each sync frame passed one point of a link (the engine handing it to the link, or the link
 * handing it to the engine), kept with the frame itself so that, after the run, each write's
 * operation can be found in the OPS frame that carried it. Frames are only referenced while
 * recording (the sender never reuses a frame it sent, {@code Link#send}), and only between
 * {@link #start()} and {@link #stop()}, so that bulk runs keep none; decoding waits until the run
 * is over so that it adds nothing to the measured path.
 */
final class FrameTimes {
    /** Sync message type of an OPS frame ({@code docs/protocol.md}, "Sync messages"). */
    private static final byte OPS = 0x03;

    private final List<Long> nanos = new ArrayList<>();
    private final List<ByteBuffer> frames = new ArrayList<>();
    private volatile boolean recording;

    /** Notes a frame passing now; any thread. */
    void record(ByteBuffer frame) {
        if (recording && frame.remaining() > 0 && frame.get(frame.position()) == OPS) {
            long now = System.nanoTime();
            ByteBuffer copy = frame.duplicate();
            synchronized (this) {
                nanos.add(now);
                frames.add(copy);
            }
        }
    }

    /** Forgets what was recorded and records from now on (nothing is recorded before). */
    synchronized void start() {
        nanos.clear();
        frames.clear();
        recording = true;
    }

    /** Stops recording (the frames are kept for {@link #byDocument()}). */
    void stop() {
        recording = false;
    }

    /**
     * @return document id → when the first OPS frame carrying an operation on it passed,
     *         {@link System#nanoTime()}
     */
    synchronized Map<String, Long> byDocument() {
        Map<String, Long> first = new HashMap<>();
        for (int f = 0; f < frames.size(); f++) {
            ByteBuffer frame = frames.get(f).duplicate();
            frame.get(); // OPS
            varint(frame); // epoch
            varint(frame); // batch sequence
            byte[] payload = new byte[frame.remaining()];
            frame.get(payload);
            for (Operation op : BlazeBinary.decodeBatch(payload)) {
                first.putIfAbsent(op.documentId(), nanos.get(f));
            }
        }
        return first;
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
