package org.blazedb.sync.impl;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;

/**
 * A test relay on virtual time. Reliable and ordered by default; with {@link #faults} set it
 * delays frames randomly (so they overtake each other), duplicates and drops them, and the test
 * can cut links. A dropped frame also breaks its link a little later ({@link #LOSS_DETECTED_AFTER}),
 * as a transport that promises reliable delivery does when it loses data (TCP resets the
 * connection, the TCP relay's idle timeout closes a dead one): the engine relies on the
 * {@code Link} contract and never times a session out itself. Frames sent in the meantime still
 * reach the peer: an OPS frame after a lost, repeated or overtaken one is misnumbered, and the
 * peer ends the session with {@code PROTOCOL_ERROR} (the batch gaps a faulty sender would cause
 * are tested directly, with a peer played by the test). Every frame is the engine's encoded bytes.
 */
final class SimRelay implements Relay {
    /** Fault probabilities; all zero means a perfect network. */
    static final class Faults {
        double drop;
        double duplicate;
        int maxExtraDelay;
    }

    /** Virtual milliseconds from a dropped frame to the link breaking. */
    static final int LOSS_DETECTED_AFTER = 50;

    final Faults faults = new Faults();
    /** Links opened from now on are read-only on the accepting side. */
    boolean readOnlyServerSide;
    /** Links opened from now on are read-only on the connecting side (false with the above: a rogue client). */
    boolean readOnlyClientSide;
    final List<SimLink> links = new ArrayList<>();
    final Map<String, SyncEngine> engines = new ConcurrentHashMap<>();
    long framesSent;
    long opsFramesSent;
    /** The highest batch number any ACK sent over this relay acknowledged. */
    long maxAckSeq;
    private final String scheme;
    private final SimScheduler scheduler;
    private final Random random;

    SimRelay(String scheme, SimScheduler scheduler, Random random) {
        this.scheme = scheme;
        this.scheduler = scheduler;
        this.random = random;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public String describe() {
        return "simulated relay";
    }

    @Override
    public CompletionStage<Link> connect(URI address, LinkHandler handler) {
        SyncEngine target = engines.get(address.getSchemeSpecificPart());
        if (target == null) {
            return CompletableFuture.failedFuture(new BlazeException(ErrorCode.PEER_UNREACHABLE, "no engine " + address));
        }
        SimLink client = new SimLink(address);
        SimLink server = new SimLink(URI.create(scheme + ":inbound"));
        client.readOnly = readOnlyClientSide;
        server.readOnly = readOnlyServerSide;
        client.other = server;
        server.other = client;
        client.handler = handler;
        links.add(client);
        links.add(server);
        server.handler = target.accept(server);
        return CompletableFuture.completedFuture(client);
    }

    /** Closes every open link (a relay going away, or a network partition). */
    void cutAll() {
        for (SimLink l : List.copyOf(links)) {
            l.close(ErrorCode.PEER_UNREACHABLE, "cut");
        }
    }

    /** Closes one random open link. */
    void cutRandom() {
        List<SimLink> open = links.stream().filter(SimLink::isOpen).toList();
        if (!open.isEmpty()) {
            open.get(random.nextInt(open.size())).close(ErrorCode.PEER_UNREACHABLE, "cut");
        }
    }

    /** One end of a simulated link. */
    final class SimLink implements Link {
        private final URI remote;
        SimLink other;
        LinkHandler handler;
        boolean readOnly;
        private boolean closed;

        SimLink(URI remote) {
            this.remote = remote;
        }

        @Override
        public URI remoteAddress() {
            return remote;
        }

        @Override
        public String relay() {
            return scheme;
        }

        @Override
        public void send(ByteBuffer frame) {
            if (closed) {
                return;
            }
            framesSent++;
            if (frame.get(frame.position()) == MessageType.OPS.code()) {
                opsFramesSent++;
            } else if (frame.get(frame.position()) == MessageType.ACK.code()) {
                maxAckSeq = Math.max(maxAckSeq, ((Message.Ack) MessageCodec.decode(frame.duplicate())).seq());
            }
            if (faults.drop > 0 && random.nextDouble() < faults.drop) {
                scheduler.at(LOSS_DETECTED_AFTER, () -> close(ErrorCode.PEER_UNREACHABLE, "a frame was lost"));
                return;
            }
            int copies = faults.duplicate > 0 && random.nextDouble() < faults.duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                long delay = 1 + (faults.maxExtraDelay > 0 ? random.nextInt(faults.maxExtraDelay) : 0);
                SimLink to = other;
                ByteBuffer copy = frame.duplicate();
                scheduler.at(delay, () -> {
                    if (!to.closed) {
                        to.handler.onFrame(to, copy.duplicate());
                    }
                });
            }
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public boolean isWritable() {
            return !closed;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close(ErrorCode code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            links.remove(this);
            scheduler.at(1, () -> handler.onClosed(this, null));
            SimLink peer = other;
            if (!peer.closed) {
                peer.closed = true;
                links.remove(peer);
                Throwable cause = code == null ? null : new BlazeException(code, reason);
                scheduler.at(1 + faults.maxExtraDelay, () -> peer.handler.onClosed(peer, cause));
            }
        }
    }
}
