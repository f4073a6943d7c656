package org.blazedb.sync.impl;

import org.blazedb.api.sync.DeliveryThread;

/**
 * Which received frames the thread delivering them may take in itself for an idle engine
 * ({@link EngineExecutor#executeHereIfIdle}), by what its link declares that thread may do
 * ({@link org.blazedb.api.sync.Link#deliveryThread()}). Taking a frame in on the delivering thread
 * saves waking the engine's thread for it, and an answer (a PONG) written from a network event
 * loop goes out without waking that loop again; but the delivering thread is held while it runs,
 * so only work that thread may do is taken in:
 *
 * <ul>
 * <li>{@link DeliveryThread#NON_BLOCKING} (a network event loop, which may serve several
 *     connections, a server's above all): ACK, PING and PONG, whose handling never waits (an ACK
 *     returns credit, notes the peer's vector for a later write of the sync state, and sends at
 *     most the live path's next small batch; a backlog is handed to the engine's thread);
 * <li>{@link DeliveryThread#HAND_OVER}: nothing.
 * </ul>
 *
 * HELLO, STATE (which may start a scan of the log), OPS (a commit), ERROR and BYE always go to the
 * engine's thread, as does any frame while the engine is busy or has work queued: a frame is only
 * ever taken in when nothing is before it, so the order of every link's frames is kept. (Applying
 * a small OPS frame on a client's event loop that serves one link alone was built and measured:
 * fewer context switches on the receiving side, but no better write-to-visible latency, so it
 * was dropped; {@code docs/performance.md}, branch {@code tcp-standin}.)
 */
final class DeliveryThreadRule {
    private DeliveryThreadRule() {
    }

    /**
     * @param thread  what the delivering thread may do
     * @param message the frame's message, decoded; null if it did not decode
     * @return whether the delivering thread may take the frame in itself when the engine is idle
     */
    static boolean mayTakeIn(DeliveryThread thread, Message message) {
        return thread == DeliveryThread.NON_BLOCKING
                && (message instanceof Message.Ack || message instanceof Message.Ping || message instanceof Message.Pong);
    }
}
