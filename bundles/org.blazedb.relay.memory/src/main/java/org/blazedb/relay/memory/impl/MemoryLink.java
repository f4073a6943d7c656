package org.blazedb.relay.memory.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;

/**
 * One end of an in-memory link. Frames sent here are queued for the other end and delivered to its
 * handler, in order and one at a time: by a task on the relay's executor, or, when the other end
 * is idle and the frame small, by the sending thread itself (see {@link #INLINE_FRAME_BYTES}). The queue is bounded in
 * bytes by {@link #HIGH_WATER_BYTES}: above it {@link #isWritable()} is false, and the sender is
 * told when it drains below {@link #LOW_WATER_BYTES}.
 *
 * <p>Everything an end's handler is told goes through that end's own queue (its inbox) and is
 * delivered by whoever holds its {@code draining} flag: frames, the news that the link is writable
 * again, and the close, which is the last call; whatever is queued after it is dropped. So calls
 * for one end never overlap and never follow {@code onClosed}, as {@link LinkHandler} promises.
 */
final class MemoryLink implements Link {
    /** Queued bytes above which the link reports itself not writable. */
    static final long HIGH_WATER_BYTES = 16L << 20;
    /** Queued bytes below which a link that was not writable is writable again. */
    static final long LOW_WATER_BYTES = 4L << 20;

    /**
     * Frames up to this size are handed to an idle receiver on the sending thread; larger ones (a
     * bulk batch, whose decoding is real work) go through a relay thread, so that decoding
     * overlaps the sender's next batch.
     */
    static final int INLINE_FRAME_BYTES = 4096;

    private static final Logger LOG = Logger.getLogger(MemoryLink.class.getName());
    private static final Object CLOSE = new Object();
    /** Queued for the sending end when the queue it filled has drained: told on its own turn. */
    private static final Object WRITABLE = new Object();

    private final URI remote;
    private final Executor delivery;
    private final Set<MemoryLink> registry;
    /** What the other end sent us, waiting for our handler: frames, then possibly CLOSE. */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong inboxBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by this end when its sending filled the other end's queue; cleared when it is told. */
    private final AtomicBoolean blocked = new AtomicBoolean();
    /**
     * Whether the handler was told the link closed: nothing is delivered after that. Read and
     * written only by the holder of {@link #draining}, whose atomic hand-over orders them.
     */
    private boolean finished;
    private volatile MemoryLink other;
    private volatile LinkHandler handler;
    private volatile Throwable closeCause;

    MemoryLink(URI remote, Executor delivery, Set<MemoryLink> registry) {
        this.remote = remote;
        this.delivery = delivery;
        this.registry = registry;
    }

    /** @param otherEnd the end this one sends to */
    void join(MemoryLink otherEnd) {
        this.other = otherEnd;
        registry.add(this);
    }

    /** @param ownHandler receives this end's frames; frames queued before it was set are delivered now */
    void handle(LinkHandler ownHandler) {
        this.handler = ownHandler;
        scheduleDrain();
    }

    @Override
    public URI remoteAddress() {
        return remote;
    }

    @Override
    public String relay() {
        return InMemoryRelay.SCHEME;
    }

    @Override
    public void send(ByteBuffer frame) {
        if (closed.get()) {
            return;
        }
        MemoryLink peer = other;
        // read before the frame is queued: from then on the receiver owns it and moves its position
        int size = frame.remaining();
        long queued = peer.inboxBytes.addAndGet(size);
        peer.inbox.add(frame);
        if (queued > HIGH_WATER_BYTES) {
            blocked.set(true);
        }
        if (size <= INLINE_FRAME_BYTES && peer.handler != null && peer.draining.compareAndSet(false, true)) {
            // The other end is idle and the frame is small: hand it over on this thread. Waking a
            // relay thread costs more than the handler's work on a small frame (the sync engine
            // decodes it and queues it), and the frame reaches the other engine one hand-off sooner.
            peer.drain(true);
        } else {
            peer.scheduleDrain();
        }
    }

    @Override
    public boolean isWritable() {
        return !closed.get() && other.inboxBytes.get() <= HIGH_WATER_BYTES;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close(ErrorCode code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        MemoryLink peer = other;
        Throwable cause = code == null ? null : new BlazeException(code, reason);
        // Both ends are closed before either is told, so that the other end stops sending first;
        // a frame that still slips in after the close (its sender checked just before) is dropped.
        boolean peerWasOpen = peer.closed.compareAndSet(false, true);
        // both ends learn of the close after the frames already queued for them
        closeCause = null;
        inbox.add(CLOSE);
        scheduleDrain();
        if (peerWasOpen) {
            peer.closeCause = cause;
            peer.inbox.add(CLOSE);
            peer.scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                delivery.execute(() -> drain(false));
            } catch (RejectedExecutionException relayStopped) {
                // The relay has stopped and its threads are gone, but what is queued here (its
                // close, at least) must still reach the handler: deliver it on this thread.
                drain(false);
            }
        }
    }

    /**
     * Delivers what is queued; {@code draining} is held.
     *
     * @param onSender whether this runs on the sending thread: then it delivers small frames only,
     *                 and leaves anything else to a relay thread
     */
    private void drain(boolean onSender) {
        if (handler == null) {
            draining.set(false);
            if (handler != null) {
                scheduleDrain(); // handle() ran meanwhile and could not schedule
            }
            return; // otherwise handle() drains once the handler is known
        }
        try {
            Object item;
            while (!finished && (item = nextItem(onSender)) != null) {
                if (item == CLOSE) {
                    finished = true;
                    registry.remove(this);
                    inbox.clear();
                    handler.onClosed(this, closeCause);
                    return;
                }
                if (item == WRITABLE) {
                    handler.onWritabilityChanged(this);
                    continue;
                }
                ByteBuffer frame = (ByteBuffer) item;
                inboxBytes.addAndGet(-frame.remaining());
                handler.onFrame(this, frame);
                wakeSenderIfDrained();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A link handler failed; closing the in-memory link", e);
            close(ErrorCode.PROTOCOL_ERROR, "handler failed: " + e);
        } finally {
            boolean done = finished; // read while the flag is held
            draining.set(false);
            if (done) {
                inbox.clear(); // what slipped in after the close
            } else if (!inbox.isEmpty()) {
                scheduleDrain();
            }
        }
    }

    /**
     * Tells the other end, on its own turn, that it may write again, once its frames queued here
     * are below {@link #LOW_WATER_BYTES}. Reads the queue's size now, after the handler ran: a size
     * read before it would miss what the sender queued meanwhile, tell it while the queue is still
     * full, and never again (it sends nothing more, so it never marks itself blocked again).
     */
    private void wakeSenderIfDrained() {
        MemoryLink peer = other;
        if (peer.blocked.get() && inboxBytes.get() < LOW_WATER_BYTES && peer.blocked.compareAndSet(true, false)) {
            peer.inbox.add(WRITABLE);
            peer.scheduleDrain();
        }
    }

    /** @return the next item to deliver, or null: none, or (on the sender) a large frame left for a relay thread */
    private Object nextItem(boolean onSender) {
        if (onSender) {
            Object next = inbox.peek();
            if (next instanceof ByteBuffer frame && frame.remaining() > INLINE_FRAME_BYTES) {
                return null;
            }
        }
        return inbox.poll();
    }
}
