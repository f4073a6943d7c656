package org.blazedb.api.sync;

/**
 * What the thread on which a {@link Link} delivers a frame to its {@link LinkHandler} may be used
 * for besides handing the frame over. Only the relay knows what else that thread serves, so the
 * link declares it ({@link Link#deliveryThread()}) and the handler never does more on it than
 * declared: running work on the delivering thread saves waking another thread for it, but work
 * that waits (a durable commit) stalls everything else the thread serves.
 *
 * @since 1.3
 */
public enum DeliveryThread {
    /**
     * Hand the frame over and return: nothing is known about what else the thread serves (the
     * default for a relay that declares nothing).
     */
    HAND_OVER,

    /**
     * The thread serves other links or other work too (a network event loop, which may serve
     * several connections): it may run short work that never waits, such as taking in an
     * acknowledgement or answering a ping, but nothing that waits for a disk or a lock held for
     * long, since every connection it serves would wait with it.
     */
    NON_BLOCKING
}
