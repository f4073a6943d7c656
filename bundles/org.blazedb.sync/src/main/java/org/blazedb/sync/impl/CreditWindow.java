package org.blazedb.sync.impl;

import java.util.ArrayDeque;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.VersionVector;

/**
 * The sending side of the credit window: the number of the next OPS frame, the highest one the
 * peer acknowledged, and what each unacknowledged frame carried. At most the peer's window of
 * frames is unacknowledged; an ACK whose vector does not cover a frame of the current epoch it
 * acknowledges shows the peer rejected that frame. Engine thread only.
 */
final class CreditWindow {
    /** A frame in flight: its number, the epoch it was sent in, the last operation per origin. */
    private record InFlight(long seq, long epoch, VersionVector last) { }

    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private long nextSeq = 1;
    private long ackedSeq;

    /** @param window the peer's window @return whether another frame may be sent */
    boolean hasCredit(int window) {
        return unacknowledged() < window;
    }

    /** @return frames sent and not yet acknowledged */
    long unacknowledged() {
        return nextSeq - 1 - ackedSeq;
    }

    /**
     * Records a frame about to be sent.
     *
     * @param epoch the stream epoch it belongs to
     * @param last  per origin, the last operation it carries
     * @return its number
     */
    long send(long epoch, VersionVector last) {
        inFlight.add(new InFlight(nextSeq, epoch, last));
        return nextSeq++;
    }

    /**
     * Records an ACK (cumulative; duplicates and late ones are harmless).
     *
     * @param seq          the highest frame it acknowledges
     * @param version      the peer's durable vector with it
     * @param currentEpoch the sender's epoch now
     * @return whether a frame of the current epoch was acknowledged without being applied
     * @throws BlazeException {@code PROTOCOL_ERROR} for an ACK of a frame never sent
     */
    boolean acknowledge(long seq, VersionVector version, long currentEpoch) {
        if (seq >= nextSeq) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "ACK of batch " + seq + " that was never sent");
        }
        ackedSeq = Math.max(ackedSeq, seq);
        boolean notApplied = false;
        while (!inFlight.isEmpty() && inFlight.peek().seq() <= seq) {
            InFlight f = inFlight.poll();
            notApplied |= f.epoch() == currentEpoch && !version.dominates(f.last());
        }
        return notApplied;
    }
}
