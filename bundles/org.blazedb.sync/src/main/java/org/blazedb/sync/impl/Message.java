package org.blazedb.sync.impl;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.VersionVector;

/**
 * The sync protocol's messages, one per frame. {@link MessageCodec} turns them into bytes and back;
 * {@code docs/protocol.md} ("Sync messages") specifies each byte.
 */
sealed interface Message {
    /** @return the message's type */
    MessageType type();

    /**
     * The first message each side sends.
     *
     * @param protocolVersion the protocol version the sender speaks
     * @param nodeId          the sender's node id
     * @param capabilities    bit set of {@link MessageCodec#CAP_LZ4} and future capabilities
     * @param window          how many OPS frames the sender accepts unacknowledged
     * @param maxBatchBytes   the largest OPS payload the sender accepts
     */
    record Hello(int protocolVersion, NodeId nodeId, long capabilities, int window, int maxBatchBytes) implements Message {
        /** Checks the fields. */
        public Hello {
            Objects.requireNonNull(nodeId, "nodeId");
        }

        @Override
        public MessageType type() {
            return MessageType.HELLO;
        }
    }

    /**
     * What the sender holds durably; asks the receiver to send what it lacks.
     *
     * @param version      the sender's durable version vector
     * @param replyWanted  the receiver should answer with its own STATE
     * @param rewind       the sender rejected a batch (a gap): the receiver restarts sending from
     *                     {@code version} exactly, not from what it already sent
     */
    record State(VersionVector version, boolean replyWanted, boolean rewind) implements Message {
        /** Checks the fields. */
        public State {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public MessageType type() {
            return MessageType.STATE;
        }
    }

    /**
     * One batch of operations.
     *
     * @param epoch   the sender's stream epoch, raised each time it restarts after a rewind
     * @param seq     the batch's number in this session, from 1
     * @param payload the operations as {@link OperationsCodec} encodes them
     */
    record Ops(long epoch, long seq, ByteBuffer payload) implements Message {
        /** Checks the fields. */
        public Ops {
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public MessageType type() {
            return MessageType.OPS;
        }
    }

    /**
     * Every OPS frame up to {@code seq} has been processed and is durable.
     *
     * @param seq     the highest batch number processed
     * @param version the receiver's durable version vector after it
     */
    record Ack(long seq, VersionVector version) implements Message {
        /** Checks the fields. */
        public Ack {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public MessageType type() {
            return MessageType.ACK;
        }
    }

    /** @param nonce echoed by the PONG */
    record Ping(long nonce) implements Message {
        @Override
        public MessageType type() {
            return MessageType.PING;
        }
    }

    /** @param nonce the PING's nonce */
    record Pong(long nonce) implements Message {
        @Override
        public MessageType type() {
            return MessageType.PONG;
        }
    }

    /**
     * A fatal error; the sender closes the link after it.
     *
     * @param code    the error
     * @param message one line for logs and the shell
     */
    record Error(ErrorCode code, String message) implements Message {
        /** Checks the fields. */
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public MessageType type() {
            return MessageType.ERROR;
        }
    }

    /** A normal end of session; the sender closes the link after it. */
    record Bye() implements Message {
        @Override
        public MessageType type() {
            return MessageType.BYE;
        }
    }
}
