package org.blazedb.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * Encoding and decoding of the handshake frames and the ERROR frame, byte by byte as in
 * {@code docs/protocol.md} ("Handshake"). All integers are big-endian and unsigned. Decoding treats
 * input as hostile: every length is checked against the bytes present and its named limit, and
 * trailing bytes are an error; failures are {@link BlazeException}s with
 * {@link ErrorCode#PROTOCOL_ERROR}.
 */
public final class HandshakeMessages {
    /** The four bytes after the CLIENT_HELLO type byte: ASCII {@code BLZN}. */
    public static final int MAGIC = 0x424C5A4E;
    /** Bytes in each side's nonce. */
    public static final int NONCE_BYTES = 32;
    /** Bytes in an authentication proof (HMAC-SHA256). */
    public static final int MAC_BYTES = 32;
    /** Most protocol versions a CLIENT_HELLO may list. */
    public static final int MAX_VERSIONS = 8;
    /** Most UTF-8 bytes in a peer id. */
    public static final int MAX_PEER_ID_BYTES = 128;
    /** Most UTF-8 bytes in an ERROR frame's reason; longer reasons are cut when sending. */
    public static final int MAX_REASON_BYTES = 1024;

    private HandshakeMessages() {
    }

    /** CLIENT_HELLO: the versions the client speaks, its capabilities and its nonce. */
    public record ClientHello(int[] versions, int capabilities, byte[] nonce) {
    }

    /** SERVER_HELLO: the version chosen, the capabilities both have and the server's nonce. */
    public record ServerHello(int version, int capabilities, byte[] nonce) {
    }

    /** CLIENT_AUTH: who the client is and its proof; an empty proof means it has no token. */
    public record ClientAuth(String peerId, byte[] mac) {
    }

    /** SERVER_AUTH: the permission granted and the server's proof. */
    public record ServerAuth(Permission permission, byte[] mac) {
    }

    /** ERROR: why the sender is closing. */
    public record ErrorFrame(int code, String reason) {
    }

    /** @param alloc allocator @param m message @return its frame body */
    public static ByteBuf encode(ByteBufAllocator alloc, ClientHello m) {
        ByteBuf b = alloc.buffer(1 + 4 + 1 + 2 * m.versions().length + 4 + NONCE_BYTES);
        b.writeByte(FrameType.CLIENT_HELLO).writeInt(MAGIC).writeByte(m.versions().length);
        for (int v : m.versions()) {
            b.writeShort(v);
        }
        return b.writeInt(m.capabilities()).writeBytes(m.nonce());
    }

    /** @param alloc allocator @param m message @return its frame body */
    public static ByteBuf encode(ByteBufAllocator alloc, ServerHello m) {
        return alloc.buffer(1 + 2 + 4 + NONCE_BYTES).writeByte(FrameType.SERVER_HELLO)
                .writeShort(m.version()).writeInt(m.capabilities()).writeBytes(m.nonce());
    }

    /** @param alloc allocator @param m message @return its frame body */
    public static ByteBuf encode(ByteBufAllocator alloc, ClientAuth m) {
        byte[] id = m.peerId().getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(1 + 1 + id.length + 1 + m.mac().length).writeByte(FrameType.CLIENT_AUTH)
                .writeByte(id.length).writeBytes(id).writeByte(m.mac().length).writeBytes(m.mac());
    }

    /** @param alloc allocator @param m message @return its frame body */
    public static ByteBuf encode(ByteBufAllocator alloc, ServerAuth m) {
        return alloc.buffer(1 + 1 + MAC_BYTES).writeByte(FrameType.SERVER_AUTH)
                .writeByte(m.permission().wire()).writeBytes(m.mac());
    }

    /** @param alloc allocator @param m message (a long reason is cut to the limit) @return its frame body */
    public static ByteBuf encode(ByteBufAllocator alloc, ErrorFrame m) {
        byte[] reason = truncate(m.reason() == null ? "" : m.reason());
        return alloc.buffer(1 + 2 + 2 + reason.length).writeByte(FrameType.ERROR)
                .writeShort(m.code()).writeShort(reason.length).writeBytes(reason);
    }

    /** @param body a frame body starting with its type byte @return the message */
    public static ClientHello decodeClientHello(ByteBuf body) {
        expectType(body, FrameType.CLIENT_HELLO);
        need(body, 4 + 1, "CLIENT_HELLO");
        if (body.readInt() != MAGIC) {
            throw protocol("CLIENT_HELLO does not start with the BlazeDB magic: the peer is not a BlazeDB node");
        }
        int count = body.readUnsignedByte();
        if (count < 1 || count > MAX_VERSIONS) {
            throw protocol("CLIENT_HELLO lists " + count + " versions; 1 to " + MAX_VERSIONS + " are allowed");
        }
        need(body, 2 * count + 4 + NONCE_BYTES, "CLIENT_HELLO");
        int[] versions = new int[count];
        for (int i = 0; i < count; i++) {
            versions[i] = body.readUnsignedShort();
        }
        int caps = body.readInt();
        byte[] nonce = new byte[NONCE_BYTES];
        body.readBytes(nonce);
        end(body, "CLIENT_HELLO");
        return new ClientHello(versions, caps, nonce);
    }

    /** @param body a frame body starting with its type byte @return the message */
    public static ServerHello decodeServerHello(ByteBuf body) {
        expectType(body, FrameType.SERVER_HELLO);
        need(body, 2 + 4 + NONCE_BYTES, "SERVER_HELLO");
        int version = body.readUnsignedShort();
        int caps = body.readInt();
        byte[] nonce = new byte[NONCE_BYTES];
        body.readBytes(nonce);
        end(body, "SERVER_HELLO");
        return new ServerHello(version, caps, nonce);
    }

    /** @param body a frame body starting with its type byte @return the message */
    public static ClientAuth decodeClientAuth(ByteBuf body) {
        expectType(body, FrameType.CLIENT_AUTH);
        need(body, 1, "CLIENT_AUTH");
        int idLength = body.readUnsignedByte();
        if (idLength < 1 || idLength > MAX_PEER_ID_BYTES) {
            throw protocol("CLIENT_AUTH peer id has " + idLength + " bytes; 1 to " + MAX_PEER_ID_BYTES + " are allowed");
        }
        need(body, idLength + 1, "CLIENT_AUTH");
        String peerId = utf8(body, idLength, "CLIENT_AUTH peer id");
        int macLength = body.readUnsignedByte();
        if (macLength != 0 && macLength != MAC_BYTES) {
            throw protocol("CLIENT_AUTH proof has " + macLength + " bytes; 0 or " + MAC_BYTES + " are allowed");
        }
        need(body, macLength, "CLIENT_AUTH");
        byte[] mac = new byte[macLength];
        body.readBytes(mac);
        end(body, "CLIENT_AUTH");
        return new ClientAuth(peerId, mac);
    }

    /** @param body a frame body starting with its type byte @return the message */
    public static ServerAuth decodeServerAuth(ByteBuf body) {
        expectType(body, FrameType.SERVER_AUTH);
        need(body, 1 + MAC_BYTES, "SERVER_AUTH");
        int wire = body.readUnsignedByte();
        Permission permission = Permission.ofWire(wire);
        if (permission == null) {
            throw protocol("SERVER_AUTH grants unknown permission " + wire);
        }
        byte[] mac = new byte[MAC_BYTES];
        body.readBytes(mac);
        end(body, "SERVER_AUTH");
        return new ServerAuth(permission, mac);
    }

    /** @param body a frame body starting with its type byte @return the message */
    public static ErrorFrame decodeError(ByteBuf body) {
        expectType(body, FrameType.ERROR);
        need(body, 4, "ERROR");
        int code = body.readUnsignedShort();
        int length = body.readUnsignedShort();
        if (length > MAX_REASON_BYTES) {
            throw protocol("ERROR reason has " + length + " bytes; at most " + MAX_REASON_BYTES + " are allowed");
        }
        need(body, length, "ERROR");
        String reason = utf8(body, length, "ERROR reason");
        end(body, "ERROR");
        return new ErrorFrame(code, reason);
    }

    private static void expectType(ByteBuf body, byte type) {
        need(body, 1, FrameType.name(type));
        byte actual = body.readByte();
        if (actual != type) {
            throw protocol("Expected " + FrameType.name(type) + " but received " + FrameType.name(actual));
        }
    }

    private static void need(ByteBuf body, int bytes, String what) {
        if (body.readableBytes() < bytes) {
            throw protocol(what + " is truncated: " + bytes + " more bytes needed, " + body.readableBytes() + " present");
        }
    }

    private static void end(ByteBuf body, String what) {
        if (body.isReadable()) {
            throw protocol(what + " has " + body.readableBytes() + " unexpected trailing bytes");
        }
    }

    private static String utf8(ByteBuf body, int length, String what) {
        byte[] bytes = new byte[length];
        body.readBytes(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw protocol(what + " is not valid UTF-8");
        }
    }

    private static byte[] truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return bytes;
        }
        // Cut on a character boundary so the receiver's strict UTF-8 check passes.
        int end = MAX_REASON_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }

    private static BlazeException protocol(String message) {
        return new BlazeException(ErrorCode.PROTOCOL_ERROR, message);
    }
}
