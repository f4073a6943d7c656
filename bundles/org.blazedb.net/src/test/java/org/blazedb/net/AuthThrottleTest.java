package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The spacing of a failing address's token checks, on a clock the test moves. */
class AuthThrottleTest {
    static final long MS = 1_000_000L;
    long now = 1_000 * MS;
    final AuthThrottle throttle = new AuthThrottle(100, () -> now);
    final InetAddress a = address(1);
    final InetAddress b = address(2);

    @Test
    void anAddressThatNeverFailedIsCheckedAtOnceEveryTime() {
        for (int i = 0; i < 5; i++) {
            assertEquals(0, throttle.book(a, 10_000 * MS));
        }
        assertEquals(0, throttle.tracked());
    }

    @Test
    void afterAFailureTheAddressesChecksTakeTurnsOneDelayApart() {
        throttle.failed(a, false);
        now += 30 * MS;
        assertEquals(70 * MS, throttle.book(a, 10_000 * MS), "the first turn: one delay after the failure");
        assertEquals(170 * MS, throttle.book(a, 10_000 * MS));
        assertEquals(270 * MS, throttle.book(a, 10_000 * MS));
        assertEquals(0, throttle.book(b, 10_000 * MS), "another address is not held");

        now += 70 * MS; // the first booked check runs now and fails: its booking already spaced the next turn
        throttle.failed(a, true);
        assertEquals(300 * MS, throttle.waitNanos(a));
    }

    @Test
    void failuresAtTheSameMomentAddUp() {
        for (int i = 0; i < 8; i++) {
            throttle.failed(a, false); // eight connections checked at once before any failed
        }
        assertEquals(800 * MS, throttle.waitNanos(a));
        assertEquals(800 * MS, throttle.book(a, 10_000 * MS));
    }

    @Test
    void aTurnLaterThanTheCallersDeadlineIsRefusedAndNotBooked() {
        for (int i = 0; i < 5; i++) {
            throttle.failed(a, false);
        }
        assertEquals(-1, throttle.book(a, 499 * MS));
        assertEquals(500 * MS, throttle.book(a, 500 * MS), "the refusal booked nothing");
    }

    @Test
    void thePenaltyEndsOneDelayAfterTheLastFailure() {
        throttle.failed(a, false);
        throttle.failed(a, false);
        now += 200 * MS;
        assertEquals(0, throttle.book(a, 10_000 * MS));
        now += 1000 * MS;
        throttle.failed(a, false);
        assertEquals(100 * MS, throttle.waitNanos(a), "an old penalty does not add to a new one");
    }

    @Test
    void connectionsWithoutAnIpAddressAreNotThrottled() {
        throttle.failed(null, false);
        assertEquals(0, throttle.book(null, 0));
    }

    @Test
    void atMostMaxAddressesAreTrackedAndTheOneWhosePenaltyEndsFirstMakesRoom() {
        for (int i = 0; i < AuthThrottle.MAX_ADDRESSES; i++) {
            throttle.failed(address(i), false);
            now += 1; // address(0)'s penalty ends first
        }
        assertEquals(AuthThrottle.MAX_ADDRESSES, throttle.tracked());

        throttle.failed(address(AuthThrottle.MAX_ADDRESSES), false);
        assertEquals(AuthThrottle.MAX_ADDRESSES, throttle.tracked());
        assertEquals(0, throttle.waitNanos(address(0)));
        assertEquals(100 * MS, throttle.waitNanos(address(AuthThrottle.MAX_ADDRESSES)));

        now += 200 * MS; // every penalty has ended: they all make room at once
        throttle.failed(address(AuthThrottle.MAX_ADDRESSES + 1), false);
        assertEquals(1, throttle.tracked());
    }

    private static InetAddress address(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
