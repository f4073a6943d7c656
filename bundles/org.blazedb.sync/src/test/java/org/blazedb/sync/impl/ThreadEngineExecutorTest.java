package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class ThreadEngineExecutorTest {
    @Test
    void runsTasksOnItsThreadUntilShutdown() throws InterruptedException {
        ThreadEngineExecutor executor = new ThreadEngineExecutor("test-engine");
        CountDownLatch ran = new CountDownLatch(1);
        executor.execute(ran::countDown);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        executor.shutdown();
    }

    @Test
    void aTaskArrivingAfterShutdownIsDroppedNotThrownAtTheCaller() throws InterruptedException {
        ThreadEngineExecutor executor = new ThreadEngineExecutor("test-engine");
        executor.shutdown();
        AtomicBoolean ran = new AtomicBoolean();
        // a Netty event loop closing a link after the engine stopped calls in like this
        assertDoesNotThrow(() -> executor.execute(() -> ran.set(true)));
        assertDoesNotThrow(() -> executor.schedule(() -> ran.set(true), 1).run());
        assertFalse(ran.get());
    }
}
