package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.DeliveryThread;
import org.junit.jupiter.api.Test;

/** Which frames a delivering thread may take in itself, by what its link declares. */
class DeliveryThreadRuleTest {
    private static final Message ACK = new Message.Ack(3, VersionVector.EMPTY);
    private static final Message PING = new Message.Ping(1);
    private static final Message PONG = new Message.Pong(1);
    private static final Message OPS = new Message.Ops(0, 1, ByteBuffer.allocate(16));
    private static final Message HELLO = new Message.Hello(MessageCodec.PROTOCOL_VERSION, NodeId.random(), 0, 16, 1 << 20);
    private static final Message STATE = new Message.State(VersionVector.EMPTY, false, false);
    private static final Message ERROR = new Message.Error(ErrorCode.TIMEOUT, "x");
    private static final Message BYE = new Message.Bye();

    @Test
    void anEventLoopTakesInOnlyFramesWhoseWorkNeverWaits() {
        Map<Message, Boolean> expected = Map.of(ACK, true, PING, true, PONG, true, OPS, false,
                HELLO, false, STATE, false, ERROR, false, BYE, false);
        expected.forEach((message, takenIn) -> assertEquals(takenIn,
                DeliveryThreadRule.mayTakeIn(DeliveryThread.NON_BLOCKING, message), message.type().name()));
    }

    @Test
    void aThreadThatMayOnlyHandOverTakesInNothingNorDoesAnUndecodableFrame() {
        for (Message message : List.of(ACK, PING, PONG, OPS, HELLO, STATE, ERROR, BYE)) {
            assertEquals(false, DeliveryThreadRule.mayTakeIn(DeliveryThread.HAND_OVER, message), message.type().name());
            assertEquals(false, DeliveryThreadRule.mayTakeIn(null, message), message.type().name());
        }
        assertEquals(false, DeliveryThreadRule.mayTakeIn(DeliveryThread.NON_BLOCKING, null));
    }
}
