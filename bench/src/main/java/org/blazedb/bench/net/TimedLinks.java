package org.blazedb.bench.net;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.DeliveryThread;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.SyncService;

/**
 * Wrappers that note when sync frames cross the boundary between a sync engine and its link, for
 * the live benchmark's tail attribution: frames a server's engine sends (it gets its links through
 * {@link SyncService#accept}), and frames a client's relay delivers to its engine. Everything else
 * passes through unchanged.
 */
final class TimedLinks {
    private TimedLinks() {
    }

    /** @return the engine, with every link it accepts noting the frames the engine sends on it */
    static SyncService sendingThrough(SyncService engine, FrameTimes sent) {
        return (SyncService) Proxy.newProxyInstance(SyncService.class.getClassLoader(), new Class<?>[] {SyncService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("accept") && args != null && args.length == 1 && args[0] instanceof Link link) {
                        return engine.accept(new SendTimedLink(link, sent));
                    }
                    return invoke(method, engine, args);
                });
    }

    /** @return the relay, with every link it opens noting the frames it hands to the engine */
    static Relay receivingThrough(Relay relay, FrameTimes received) {
        return new Relay() {
            @Override
            public String scheme() {
                return relay.scheme();
            }

            @Override
            public CompletionStage<Link> connect(URI address, LinkHandler handler) {
                return relay.connect(address, new LinkHandler() {
                    @Override
                    public void onFrame(Link link, ByteBuffer frame) {
                        received.record(frame);
                        handler.onFrame(link, frame);
                    }

                    @Override
                    public void onWritabilityChanged(Link link) {
                        handler.onWritabilityChanged(link);
                    }

                    @Override
                    public void onClosed(Link link, Throwable cause) {
                        handler.onClosed(link, cause);
                    }
                });
            }

            @Override
            public String describe() {
                return relay.describe();
            }
        };
    }

    static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A link noting each frame sent, then sending it. */
    private record SendTimedLink(Link link, FrameTimes sent) implements Link {
        @Override
        public URI remoteAddress() {
            return link.remoteAddress();
        }

        @Override
        public String relay() {
            return link.relay();
        }

        @Override
        public void send(ByteBuffer frame) {
            sent.record(frame);
            link.send(frame);
        }

        @Override
        public boolean isWritable() {
            return link.isWritable();
        }

        @Override
        public boolean isOpen() {
            return link.isOpen();
        }

        @Override
        public boolean readOnly() {
            return link.readOnly();
        }

        @Override
        public DeliveryThread deliveryThread() {
            return link.deliveryThread();
        }

        @Override
        public void close(ErrorCode code, String reason) {
            link.close(code, reason);
        }
    }
}
