package org.blazedb.testsupport;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A bounded wait on a condition, for tests of what other threads do: the test goes on as soon as
 * the condition holds, and fails with a message saying what it waited for once the bound passes.
 * Every module's tests share this one instead of polling loops of their own.
 */
public final class Await {
    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds, failing after {@code seconds}.
     *
     * @param what      what is awaited, for the failure message
     * @param seconds   the bound
     * @param condition the condition
     * @throws AssertionError "timed out waiting for: " and {@code what}, once the bound has passed
     */
    public static void until(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        until(() -> "timed out waiting for: " + what, seconds, condition);
    }

    /**
     * As {@link #until(String, long, BooleanSupplier)}, with a failure message made when the bound
     * passes, so that it can say what the state was then.
     *
     * @param failure   the failure message
     * @param seconds   the bound
     * @param condition the condition
     */
    public static void until(Supplier<String> failure, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
