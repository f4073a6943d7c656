package org.blazedb.sync.impl;

/** The first byte of every sync frame: which {@link Message} follows. Values never change meaning. */
enum MessageType {
    /** {@link Message.Hello}. */
    HELLO(0x01),
    /** {@link Message.State}. */
    STATE(0x02),
    /** {@link Message.Ops}. */
    OPS(0x03),
    /** {@link Message.Ack}. */
    ACK(0x04),
    /** {@link Message.Ping}. */
    PING(0x05),
    /** {@link Message.Pong}. */
    PONG(0x06),
    /** {@link Message.Error}. */
    ERROR(0x07),
    /** {@link Message.Bye}. */
    BYE(0x08);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** @return the type's byte */
    int code() {
        return code;
    }

    /** @param code a frame's first byte, 0–255 @return its type, or null if unknown */
    static MessageType of(int code) {
        return BY_CODE[code & 0xff];
    }
}
