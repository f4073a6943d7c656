package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.Test;

/**
 * A connect that fails shows its own error in {@code peers()} (and so in {@code blaze:peers} and
 * {@code blaze:connect}), not the {@code CompletionException} a relay's dependent stage wraps it in.
 */
class ConnectFailureMessageTest {
    @Test
    void aFailedConnectShowsTheRelaysErrorUnwrapped() throws Exception {
        BlazeException refused = new BlazeException(ErrorCode.PEER_UNREACHABLE, "Cannot reach test://nowhere: connection refused");
        Relay failing = new Relay() {
            @Override
            public String scheme() {
                return "test";
            }

            @Override
            public CompletionStage<Link> connect(URI address, LinkHandler handler) {
                // as TcpRelay: the link's future, then a stage derived from it
                return CompletableFuture.<Link>failedFuture(refused).thenApply(link -> link);
            }

            @Override
            public String describe() {
                return "test relay that cannot connect";
            }
        };
        ThreadEngineExecutor executor = new ThreadEngineExecutor("test-connect-failure");
        SyncEngine engine = new SyncEngine(new ModelReplica("a", NodeId.random(), System::currentTimeMillis), EngineSettings.DEFAULTS,
                new BlazeBinaryOperationsCodec(), executor, () -> null, () -> List.of(failing), e -> { });
        try {
            engine.connect(URI.create("test://nowhere"));
            Await.until("the connect failed", 20, () -> errorOf(engine) != null);
            assertEquals(refused.toString(), errorOf(engine));
        } finally {
            engine.close();
        }
    }

    private static String errorOf(SyncEngine engine) {
        List<PeerStatusDTO> peers = engine.peers();
        return peers.isEmpty() ? null : peers.get(0).lastError;
    }
}
