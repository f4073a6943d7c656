package org.blazedb.sync.impl;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Link;

/**
 * Encodes {@link Message}s as frames and decodes them, checking every length before allocating.
 *
 * <pre>
 * frame   = type:u8 body
 * HELLO   = version:varint nodeId:16 capabilities:varint window:varint maxBatchBytes:varint
 * STATE   = flags:u8 (bit 0 reply wanted, bit 1 rewind) vector
 * OPS     = epoch:varint seq:varint payload:(rest of frame)
 * ACK     = seq:varint vector
 * PING    = nonce:8            PONG = nonce:8
 * ERROR   = code:varint message:string
 * BYE     = (empty)
 * vector  = count:varint { nodeId:16 sequence:varint } (nodes in ascending unsigned order)
 * nodeId  = high:8 low:8 (big-endian)   string = length:varint utf8-bytes
 * varint  = unsigned LEB128, at most 10 bytes
 * </pre>
 *
 * Unknown types, truncated bodies, trailing bytes and oversized counts are
 * {@link ErrorCode#PROTOCOL_ERROR} or {@link ErrorCode#LIMIT_EXCEEDED}.
 */
final class MessageCodec {
    /** The protocol version this engine speaks. */
    static final int PROTOCOL_VERSION = 1;
    /** Capability bit: the sender can decode LZ4-compressed batches. */
    static final long CAP_LZ4 = 1;
    /** The largest frame accepted or sent: {@link Link#MAX_FRAME_BYTES}, room for any one operation a store takes. */
    static final int MAX_FRAME_BYTES = Link.MAX_FRAME_BYTES;
    /** The most entries a version vector on the wire may have. */
    static final int MAX_VECTOR_ENTRIES = 1 << 16;
    /** The longest error message accepted, in bytes. */
    static final int MAX_MESSAGE_BYTES = 4096;

    private static final int FLAG_REPLY = 1;
    private static final int FLAG_REWIND = 2;

    private MessageCodec() {
    }

    /** @param message a message @return its frame, ready to send */
    static ByteBuffer encode(Message message) {
        int payload = message instanceof Message.Ops ops ? ops.payload().remaining() : 0;
        ByteBuffer out = ByteBuffer.allocate(64 + payload + vectorSize(message));
        out.put((byte) message.type().code());
        if (message instanceof Message.Hello h) {
            putVarint(out, h.protocolVersion());
            putNode(out, h.nodeId());
            putVarint(out, h.capabilities());
            putVarint(out, h.window());
            putVarint(out, h.maxBatchBytes());
        } else if (message instanceof Message.State s) {
            out.put((byte) ((s.replyWanted() ? FLAG_REPLY : 0) | (s.rewind() ? FLAG_REWIND : 0)));
            putVector(out, s.version());
        } else if (message instanceof Message.Ops o) {
            putVarint(out, o.epoch());
            putVarint(out, o.seq());
            out.put(o.payload().duplicate());
        } else if (message instanceof Message.Ack a) {
            putVarint(out, a.seq());
            putVector(out, a.version());
        } else if (message instanceof Message.Ping p) {
            out.putLong(p.nonce());
        } else if (message instanceof Message.Pong p) {
            out.putLong(p.nonce());
        } else if (message instanceof Message.Error e) {
            putVarint(out, e.code().number());
            byte[] text = truncate(e.message()).getBytes(StandardCharsets.UTF_8);
            putVarint(out, text.length);
            out.put(text);
        }
        // BYE has no body
        return out.flip();
    }

    /**
     * @param frame one whole frame, from position to limit (consumed)
     * @return the message
     * @throws BlazeException if the frame is not a valid message
     */
    static Message decode(ByteBuffer frame) {
        if (frame.remaining() > MAX_FRAME_BYTES) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED,
                    "Sync frame of " + frame.remaining() + " bytes exceeds MAX_FRAME_BYTES " + MAX_FRAME_BYTES);
        }
        if (!frame.hasRemaining()) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Empty sync frame");
        }
        MessageType type = MessageType.of(frame.get());
        if (type == null) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR,
                    "Unknown sync message type 0x" + Integer.toHexString(frame.get(frame.position() - 1) & 0xff));
        }
        try {
            Message message = switch (type) {
                case HELLO -> new Message.Hello(intVarint(frame), getNode(frame), getVarint(frame), intVarint(frame),
                        intVarint(frame));
                case STATE -> {
                    int flags = frame.get();
                    yield new Message.State(getVector(frame), (flags & FLAG_REPLY) != 0, (flags & FLAG_REWIND) != 0);
                }
                case OPS -> {
                    long epoch = getVarint(frame);
                    long seq = getVarint(frame);
                    ByteBuffer payload = frame.slice();
                    frame.position(frame.limit());
                    yield new Message.Ops(epoch, seq, payload);
                }
                case ACK -> new Message.Ack(getVarint(frame), getVector(frame));
                case PING -> new Message.Ping(frame.getLong());
                case PONG -> new Message.Pong(frame.getLong());
                case ERROR -> new Message.Error(errorCode(intVarint(frame)), getString(frame));
                case BYE -> new Message.Bye();
            };
            if (frame.hasRemaining()) {
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR,
                        frame.remaining() + " trailing bytes after a " + type + " message");
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Truncated " + type + " message", e);
        } catch (IllegalArgumentException e) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Invalid " + type + " message: " + e.getMessage(), e);
        }
    }

    private static int vectorSize(Message m) {
        VersionVector v = m instanceof Message.State s ? s.version() : m instanceof Message.Ack a ? a.version() : null;
        return v == null ? (m instanceof Message.Error ? MAX_MESSAGE_BYTES + 16 : 0) : v.size() * 26;
    }

    private static String truncate(String text) {
        // a byte budget, not a char budget: at most 3 bytes per UTF-16 unit
        return text.length() > MAX_MESSAGE_BYTES / 3 ? text.substring(0, MAX_MESSAGE_BYTES / 3) : text;
    }

    private static ErrorCode errorCode(int number) {
        try {
            return ErrorCode.ofNumber(number);
        } catch (IllegalArgumentException unknown) {
            // a newer peer's code: still an error, reported as a protocol error with its number
            return ErrorCode.PROTOCOL_ERROR;
        }
    }

    static void putVarint(ByteBuffer out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    static long getVarint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = in.get();
            if (shift == 63 && (b & 0x7E) != 0) {
                // the tenth byte holds bit 63 only: more would be dropped by the shift, so another value would be read
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "A varint holds more than 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "A varint is longer than 10 bytes");
    }

    private static int intVarint(ByteBuffer in) {
        long v = getVarint(in);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED, "Value " + Long.toUnsignedString(v) + " exceeds 2^31-1");
        }
        return (int) v;
    }

    private static void putNode(ByteBuffer out, NodeId node) {
        out.putLong(node.high()).putLong(node.low());
    }

    private static NodeId getNode(ByteBuffer in) {
        return new NodeId(in.getLong(), in.getLong());
    }

    private static void putVector(ByteBuffer out, VersionVector v) {
        putVarint(out, v.size());
        for (int i = 0; i < v.size(); i++) {
            putNode(out, v.node(i));
            putVarint(out, v.sequence(i));
        }
    }

    private static VersionVector getVector(ByteBuffer in) {
        int count = intVarint(in);
        if (count > MAX_VECTOR_ENTRIES) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED, "A version vector claims " + count
                    + " entries, more than MAX_VECTOR_ENTRIES " + MAX_VECTOR_ENTRIES);
        }
        if (count * 17L > in.remaining()) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "A version vector claims " + count
                    + " entries but only " + in.remaining() + " bytes follow");
        }
        // one entry (an ACK between two nodes, the live path) needs no map
        TreeMap<NodeId, Long> entries = count > 1 ? new TreeMap<>() : null;
        VersionVector single = VersionVector.EMPTY;
        NodeId previous = null;
        for (int i = 0; i < count; i++) {
            NodeId node = getNode(in);
            if (previous != null && node.compareTo(previous) <= 0) {
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Version vector entries are not in ascending node order");
            }
            long seq = getVarint(in);
            if (seq <= 0) {
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Version vector entry " + node + " is not positive");
            }
            if (entries != null) {
                entries.put(node, seq);
            } else {
                single = single.with(node, seq);
            }
            previous = node;
        }
        return entries != null ? VersionVector.of(entries) : single;
    }

    private static String getString(ByteBuffer in) {
        int length = intVarint(in);
        if (length > MAX_MESSAGE_BYTES || length > in.remaining()) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED, "A string of " + length + " bytes exceeds the limit");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
