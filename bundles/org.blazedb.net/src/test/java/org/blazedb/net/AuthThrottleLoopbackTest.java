package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Token guesses from one address over many connections at once, against a live server on
 * 127.0.0.1: once the address has failed, its checks take turns one failure delay apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthThrottleLoopbackTest {
    static final String TOKEN = "s3cret";

    final NodeIdentity serverId = NodeIdentity.generate();
    Loopback net;

    @AfterEach
    void stop() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    /**
     * Once a wrong guess from 127.0.0.1 has been checked, three more wrong guesses at once take
     * turns: their answers come one failure delay (1.5 s) apart, where the per-connection delay
     * alone answers them together. The turns are booked from the first failure's time, so a
     * loaded machine makes the gaps no shorter; the assertion allows half a delay.
     */
    @Test
    void guessesOnParallelConnectionsAfterAFailureAreCheckedOneDelayApart() throws Exception {
        start(Loopback.LIMITS.withAuthFailureDelay(Duration.ofMillis(1500)).withHandshakeTimeout(Duration.ofSeconds(20)));
        guesses(1, "wrong");
        awaitPenalty();

        List<CompletableFuture<NettyLink>> later = guesses(3, "wrong");
        List<Long> answeredAt = new ArrayList<>();
        for (CompletableFuture<NettyLink> guess : later) {
            guess.handle((link, error) -> {
                synchronized (answeredAt) {
                    answeredAt.add(System.nanoTime());
                }
                return null;
            });
        }
        for (BlazeException e : failures(later)) {
            assertEquals(ErrorCode.AUTH_FAILED, e.code());
        }
        synchronized (answeredAt) {
            answeredAt.sort(null);
            for (int i = 1; i < answeredAt.size(); i++) {
                long gapMillis = (answeredAt.get(i) - answeredAt.get(i - 1)) / 1_000_000;
                assertTrue(gapMillis >= 750, "answers " + i + " and " + (i + 1) + " came " + gapMillis + " ms apart");
            }
        }
    }

    /** The right token from an address that failed gets in, on its turn. */
    @Test
    void aGoodClientFromAnAddressThatFailedGetsInOnItsTurn() throws Exception {
        start(Loopback.LIMITS.withAuthFailureDelay(Duration.ofMillis(300)).withHandshakeTimeout(Duration.ofSeconds(20)));
        guesses(1, "wrong");
        awaitPenalty();

        NettyLink link = guesses(1, TOKEN).get(0).get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals("node-a", link.peerId());
        link.close(ErrorCode.UNAVAILABLE, "the test is over");
    }

    /**
     * A turn that would come after the handshake's deadline is refused at once, saying when to come
     * back (here a failure delay far longer than the handshake timeout puts the next turn out of
     * reach of any connection made in the next 28 s, however slow the machine).
     */
    @Test
    void aClientWhoseTurnComesAfterItsDeadlineIsToldWhenToTryAgain() throws Exception {
        start(Loopback.LIMITS.withAuthFailureDelay(Duration.ofSeconds(30)).withHandshakeTimeout(Duration.ofSeconds(2)));
        guesses(1, "wrong");
        awaitPenalty();

        BlazeException e = failures(guesses(1, TOKEN)).get(0);
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("Too many failed authentications from 127.0.0.1: its token checks are spaced 30000 ms "
                + "apart; try again in "), e.getMessage());
        assertEquals(ErrorCode.UNAVAILABLE, net.nextRefusal().code());
        assertTrue(net.accepted.isEmpty());
    }

    /** Waits until the server has checked a wrong guess from 127.0.0.1 (its answer is still delayed). */
    private void awaitPenalty() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Await.until("a failed check from 127.0.0.1", Loopback.WAIT_SECONDS, () -> net.throttle.waitNanos(loopback) > 0);
    }

    private void start(NetLimits limits) throws Exception {
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), limits, 0);
    }

    private List<CompletableFuture<NettyLink>> guesses(int n, String token) throws Exception {
        SslContext ssl = TlsContexts.client();
        FingerprintPins pins = FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint()));
        List<CompletableFuture<NettyLink>> guesses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            guesses.add(net.connect(ssl, new ClientCredentials("node-a", token), pins, new Loopback.Recorder()));
        }
        return guesses;
    }

    private static List<BlazeException> failures(List<CompletableFuture<NettyLink>> guesses) {
        List<BlazeException> failures = new ArrayList<>();
        for (CompletableFuture<NettyLink> guess : guesses) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> guess.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
            failures.add(assertInstanceOf(BlazeException.class, e.getCause()));
        }
        return failures;
    }
}
