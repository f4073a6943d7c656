package org.blazedb.sync.impl;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.dto.PeerStatusDTO;

/**
 * An address the engine was asked to stay connected to: it opens a session through the relay of
 * the address's scheme and, whenever the session ends, opens another after a back-off that doubles
 * per failure (reset by a completed round). Without a relay for the scheme it waits for one.
 * Engine thread only, except {@link #firstRound}.
 */
final class PeerConnection {
    final URI address;
    final CompletableFuture<PeerStatusDTO> firstRound = new CompletableFuture<>();
    private final SyncEngine engine;
    private Session session;
    private Relay relay;
    private int failures;
    private Runnable pendingRetry;
    private boolean stopped;
    private volatile String lastError;

    PeerConnection(SyncEngine engine, URI address) {
        this.engine = engine;
        this.address = address;
    }

    String scheme() {
        return address.getScheme();
    }

    Session session() {
        return session;
    }

    Relay relay() {
        return relay;
    }

    String lastError() {
        return lastError;
    }

    void error(String message) {
        lastError = message;
    }

    /** Opens a session now if none is open or opening. */
    void open() {
        if (stopped || session != null) {
            return;
        }
        cancelRetry();
        Relay chosen = engine.relayFor(scheme());
        if (chosen == null) {
            lastError = "E" + ErrorCode.NO_RELAY.number() + " NO_RELAY: no relay for scheme '" + scheme()
                    + "' is running; waiting for one";
            return;
        }
        relay = chosen;
        Session s = new Session(engine, this);
        session = s;
        try {
            chosen.connect(address, s).whenComplete((link, failure) -> engine.executor().execute(() -> {
                if (failure != null) {
                    // a relay's future is often a stage derived from the link's: its failure comes wrapped
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    lastError = cause instanceof BlazeException b ? b.toString() : String.valueOf(cause);
                    sessionEnded(s);
                } else if (stopped || session != s) {
                    link.close(null, "connection no longer wanted");
                } else {
                    s.start(link);
                }
            }, () -> {
                // the engine stopped while the link was opening: nobody will start it
                if (link != null) {
                    link.close(null, "the sync engine stopped");
                }
            }));
        } catch (RuntimeException e) {
            lastError = e.toString();
            sessionEnded(s);
        }
    }

    /** The session ended (or never opened): retry after the back-off unless stopped. */
    void sessionEnded(Session s) {
        if (session != s) {
            return;
        }
        session = null;
        relay = null;
        if (stopped) {
            return;
        }
        failures++;
        EngineSettings settings = engine.settings();
        long delay = reconnectDelay(settings.reconnectMinMillis(), settings.reconnectMaxMillis(), failures);
        cancelRetry();
        pendingRetry = engine.executor().schedule(this::open, delay);
    }

    /**
     * The back-off before reconnecting: the shortest delay, doubled per consecutive failure after
     * the first, at most the longest. Never overflows: a shortest delay of years, doubled, would
     * otherwise wrap to a negative delay and reconnect at once after every failure.
     *
     * @param shortest the first delay ({@code reconnect.min.ms}), not negative
     * @param longest  the longest delay ({@code reconnect.max.ms}), not negative
     * @param failures consecutive failures so far, at least 1
     * @return the delay in milliseconds
     */
    static long reconnectDelay(long shortest, long longest, int failures) {
        int doublings = Math.min(failures - 1, Long.SIZE - 2);
        // shortest << doublings is at most longest exactly when shortest <= longest >> doublings:
        // checked that way round, nothing is shifted past the longest, so nothing overflows
        return shortest > (longest >> doublings) ? longest : shortest << doublings;
    }

    /** A round completed on this connection's session. */
    void roundCompleted(Supplier<PeerStatusDTO> status) {
        failures = 0;
        if (!firstRound.isDone()) {
            // computed for the first round only: later rounds (one per acknowledged live write) have nobody to tell
            firstRound.complete(status.get());
        }
    }

    /** A relay for our scheme appeared: connect now instead of waiting out the back-off. */
    void relayAvailable() {
        if (session == null && !stopped) {
            open();
        }
    }

    /**
     * Stops reconnecting and ends the session.
     *
     * @param why what a caller still waiting for the first round is told
     */
    void stop(BlazeException why) {
        stopped = true;
        cancelRetry();
        Session s = session;
        session = null;
        if (s != null) {
            s.bye("disconnected");
        }
        firstRound.completeExceptionally(why);
    }

    private void cancelRetry() {
        if (pendingRetry != null) {
            pendingRetry.run();
            pendingRetry = null;
        }
    }
}
