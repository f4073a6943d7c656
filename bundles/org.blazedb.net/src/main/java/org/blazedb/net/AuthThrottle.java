package org.blazedb.net;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Spaces out the token checks of each remote address once it has failed one. The delay before a
 * failed authentication is answered ({@link NetLimits#authFailureDelay()}) slows one connection;
 * a guesser opening many connections at once would still get one guess per connection per delay.
 * Here a failure also makes the address wait: its next check runs no sooner than one delay after
 * the failure, and while it waits, further checks from it take turns one delay apart. So an
 * address that keeps failing gets one check per delay, however many connections it opens.
 *
 * <p>The price: peers behind the same address (one host, a NAT) share its turns, so a failing
 * neighbour delays them; a peer whose turn would come after its handshake deadline is refused at
 * once, told when to try again. An address that has not failed is checked at once, every time.
 *
 * <p>At most {@link #MAX_ADDRESSES} addresses are tracked; the one whose penalty ends first makes
 * room for a new one. Thread-safe: the server's event loops share one throttle.
 */
final class AuthThrottle {
    /** How many addresses' penalties are kept at most. */
    static final int MAX_ADDRESSES = 10_000;

    private final long delayNanos;
    private final LongSupplier clock;
    /** For each address that failed: when its next check may run (nanoTime). */
    private final Map<InetAddress, Long> nextCheck = new HashMap<>();

    /** @param delayMillis {@link NetLimits#authFailureDelay()}: the spacing of a failing address's checks */
    AuthThrottle(long delayMillis) {
        this(delayMillis, System::nanoTime);
    }

    /** @param clock {@link System#nanoTime()}, or a test's clock */
    AuthThrottle(long delayMillis, LongSupplier clock) {
        this.delayNanos = Math.max(0, delayMillis) * 1_000_000L;
        this.clock = clock;
    }

    /**
     * Books a token check from {@code address}.
     *
     * @param address     the peer's address; null (not an IP connection) is never throttled
     * @param withinNanos how long the check may wait (what is left of the handshake's deadline)
     * @return nanoseconds to wait before checking (0: at once; the turn is then booked), or -1 when
     *         the turn would come later than {@code withinNanos} (nothing is booked)
     */
    synchronized long book(InetAddress address, long withinNanos) {
        if (address == null || delayNanos == 0) {
            return 0;
        }
        long now = clock.getAsLong();
        Long next = nextCheck.get(address);
        if (next == null || next - now <= 0) {
            return 0; // no penalty running
        }
        long wait = next - now;
        if (wait > withinNanos) {
            return -1;
        }
        nextCheck.put(address, next + delayNanos); // the turn after this one
        return wait;
    }

    /**
     * @return nanoseconds until {@code address} may be checked again (0 if at once)
     */
    synchronized long waitNanos(InetAddress address) {
        Long next = address == null ? null : nextCheck.get(address);
        return next == null ? 0 : Math.max(0, next - clock.getAsLong());
    }

    /**
     * Records a failed check from {@code address}: its next check is at least one delay away.
     *
     * @param booked whether the check ran on a turn booked by {@link #book} (which already moved
     *               the address's next turn one delay on)
     */
    synchronized void failed(InetAddress address, boolean booked) {
        if (address == null || delayNanos == 0) {
            return;
        }
        long now = clock.getAsLong();
        Long next = nextCheck.get(address);
        long from = next == null || next - now < 0 ? now : next;
        if (booked && next != null && next - now >= 0) {
            return; // its booking already put the next turn one delay after this one
        }
        if (next == null && nextCheck.size() >= MAX_ADDRESSES) {
            makeRoom(now);
        }
        nextCheck.put(address, from + delayNanos);
    }

    /** @return the addresses tracked now (for tests) */
    synchronized int tracked() {
        return nextCheck.size();
    }

    private void makeRoom(long now) {
        InetAddress soonest = null;
        long soonestAt = 0;
        for (Iterator<Map.Entry<InetAddress, Long>> it = nextCheck.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetAddress, Long> e = it.next();
            if (e.getValue() - now <= 0) {
                it.remove();
            } else if (soonest == null || e.getValue() - soonestAt < 0) {
                soonest = e.getKey();
                soonestAt = e.getValue();
            }
        }
        if (nextCheck.size() >= MAX_ADDRESSES && soonest != null) {
            nextCheck.remove(soonest);
        }
    }
}
