package org.blazedb.sync.impl;

import org.blazedb.api.sync.DeliveryThread;

/**
 * Which received frames the thread delivering them may take in itself for an idle engine
 * ({@link EngineExecutor#executeHereIfIdle}), by what its link declares that thread may do
 * ({@link org.blazedb.api.sync.Link#deliveryThread()}). Taking a frame in on the delivering thread
 * saves waking the engine's thread for it, and an answer (a PONG, an ACK) written from a network
 * event loop goes out without waking that loop again; but the delivering thread is held while it
 * runs, so only work that thread may do is taken in:
 *
 * <ul>
 * <li>{@link DeliveryThread#NON_BLOCKING} (a network event loop shared by several connections, a
 *     server's above all): ACK, PING and PONG, whose handling never waits (an ACK returns credit,
 *     notes the peer's vector for a later write of the sync state, and sends at most the live
 *     path's next small batch; a backlog is handed to the engine's thread), and nothing else;
 * <li>{@link DeliveryThread#EXCLUSIVE} (a client's event loop serving this one link): those, and an
 *     OPS frame of at most {@link #MAX_OPS_FRAME_BYTES}, applied at once with its commit (its
 *     fsync holds up only this link's own traffic) and acknowledged from the loop;
 * <li>{@link DeliveryThread#HAND_OVER}: nothing.
 * </ul>
 *
 * HELLO, STATE (which may start a scan of the log), ERROR and BYE always go to the engine's
 * thread, as does any frame while the engine is busy or has work queued: a frame is only ever
 * taken in when nothing is before it, so the order of every link's frames is kept.
 */
final class DeliveryThreadRule {
    /** The largest OPS frame a thread serving only its link applies itself: a live write's batch, not a bulk one. */
    static final int MAX_OPS_FRAME_BYTES = 4096;

    private DeliveryThreadRule() {
    }

    /**
     * @param thread     what the delivering thread may do
     * @param message    the frame's message, decoded; null if it did not decode
     * @param frameBytes the frame's size as received
     * @return whether the delivering thread may take the frame in itself when the engine is idle
     */
    static boolean mayTakeIn(DeliveryThread thread, Message message, int frameBytes) {
        if (thread == null || thread == DeliveryThread.HAND_OVER || message == null) {
            return false;
        }
        if (message instanceof Message.Ack || message instanceof Message.Ping || message instanceof Message.Pong) {
            return true; // NON_BLOCKING or EXCLUSIVE
        }
        return message instanceof Message.Ops && thread == DeliveryThread.EXCLUSIVE && frameBytes <= MAX_OPS_FRAME_BYTES;
    }
}
