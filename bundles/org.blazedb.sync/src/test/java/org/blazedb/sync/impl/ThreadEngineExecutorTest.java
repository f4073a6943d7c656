package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadEngineExecutorTest {
    private final ThreadEngineExecutor executor = new ThreadEngineExecutor("test-engine");

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    @Test
    void runsTasksOnItsThreadUntilShutdown() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        executor.execute(() -> {
            thread.set(Thread.currentThread().getName());
            ran.countDown();
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals("test-engine", thread.get());
    }

    @Test
    void aTaskArrivingAfterShutdownIsDroppedNotThrownAtTheCaller() {
        executor.shutdown();
        AtomicBoolean ran = new AtomicBoolean();
        // a Netty event loop closing a link after the engine stopped calls in like this
        assertDoesNotThrow(() -> executor.execute(() -> ran.set(true)));
        assertDoesNotThrow(() -> executor.executeHereIfIdle(() -> ran.set(true)));
        assertDoesNotThrow(() -> executor.schedule(() -> ran.set(true), 1).run());
        assertFalse(ran.get());
    }

    @Test
    void aTaskHandedOverAfterShutdownHasWhatItHoldsReleasedInstead() {
        executor.shutdown();
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Thread> releasedOn = new AtomicReference<>();
        executor.execute(() -> ran.set(true), () -> releasedOn.set(Thread.currentThread()));
        assertFalse(ran.get());
        assertSame(Thread.currentThread(), releasedOn.get(), "released at once, on the caller's thread");
    }

    @Test
    void aTaskStillQueuedAtShutdownHasWhatItHoldsReleased() throws InterruptedException {
        CountDownLatch release = BusyEngine.occupying(executor);
        AtomicBoolean ran = new AtomicBoolean();
        CountDownLatch released = new CountDownLatch(1);
        executor.execute(() -> ran.set(true), released::countDown); // queued behind the busy task
        Thread stopper = stopWhileATaskRuns();
        release.countDown();
        stopper.join(10_000);
        assertEquals(0, released.getCount(), "released by shutdown");
        assertFalse(ran.get(), "a dropped task never runs");
    }

    @Test
    void aTaskTakenIntoTheEnginesBatchButNotRunBeforeShutdownHasWhatItHoldsReleased() throws InterruptedException {
        CountDownLatch releaseFirst = BusyEngine.occupying(executor);
        CountDownLatch secondRuns = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        // queued while the engine is busy: its thread takes both as one batch once the first ends
        AtomicReference<Thread> engineThread = new AtomicReference<>();
        executor.execute(() -> {
            engineThread.set(Thread.currentThread());
            secondRuns.countDown();
            awaitQuietly(releaseSecond);
        });
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Thread> releasedOn = new AtomicReference<>();
        executor.execute(() -> ran.set(true), () -> releasedOn.set(Thread.currentThread()));
        releaseFirst.countDown();
        assertTrue(secondRuns.await(10, TimeUnit.SECONDS));
        Thread stopper = stopWhileATaskRuns();
        releaseSecond.countDown();
        stopper.join(10_000);
        assertFalse(ran.get(), "a dropped task never runs");
        assertSame(engineThread.get(), releasedOn.get(), "released by the engine's thread, which held it in its batch");
    }

    @Test
    void anIdleEngineLetsTheCallerRunItsTaskAtOnce() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicBoolean engineWork = new AtomicBoolean();
        assertFalse(executor.callerRunsEngineWork());
        executor.executeHereIfIdle(() -> {
            ranOn.set(Thread.currentThread());
            engineWork.set(executor.callerRunsEngineWork());
        });
        assertSame(Thread.currentThread(), ranOn.get(), "ran before executeHereIfIdle returned, on the caller");
        assertTrue(engineWork.get(), "the caller counts as running engine work meanwhile");
        assertFalse(executor.callerRunsEngineWork());
    }

    @Test
    void aBusyEngineQueuesTheTaskInOrderForItsOwnThread() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        executor.execute(() -> {
            started.countDown();
            awaitQuietly(release);
            order.add("running");
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        executor.execute(() -> order.add("queued"));
        executor.executeHereIfIdle(() -> {
            order.add("offered");
            threads.add(Thread.currentThread());
        });
        assertTrue(order.isEmpty(), "nothing ran on the caller while the engine was busy");
        release.countDown();
        CountDownLatch done = new CountDownLatch(1);
        executor.execute(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("running", "queued", "offered"), order);
        assertNotEquals(Thread.currentThread(), threads.get(0));
    }

    @Test
    void aCallerStandingInRunsWhatItsTaskQueuedOnceAndLeavesTheRestToTheEnginesThread() throws InterruptedException {
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> firstRoundOn = new AtomicReference<>();
        AtomicReference<Thread> secondRoundOn = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        executor.executeHereIfIdle(() -> {
            executor.execute(() -> {
                order.add("queued by it");
                firstRoundOn.set(Thread.currentThread());
                executor.execute(() -> {
                    order.add("second round");
                    secondRoundOn.set(Thread.currentThread());
                    done.countDown();
                });
            });
            // a second offer while this one runs must not run nested inside it
            executor.executeHereIfIdle(() -> order.add("nested offer"));
            order.add("stand-in");
        });
        assertSame(Thread.currentThread(), firstRoundOn.get());
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("stand-in", "queued by it", "nested offer", "second round"), order);
        assertEquals("test-engine", secondRoundOn.get().getName());
    }

    @Test
    void workForTheEnginesOwnThreadIsNotTakenOnByACallerStandingIn() throws InterruptedException {
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        executor.executeHereIfIdle(() -> {
            executor.execute(() -> {
                order.add("before");
                threads.add(Thread.currentThread());
            });
            executor.executeOnEngineThread(() -> {
                order.add("own thread");
                threads.add(Thread.currentThread());
            });
            executor.execute(() -> {
                order.add("after");
                threads.add(Thread.currentThread());
                done.countDown();
            });
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("before", "own thread", "after"), order);
        assertSame(Thread.currentThread(), threads.get(0), "what came before was taken on by the caller");
        assertEquals("test-engine", threads.get(1).getName(), "the caller stopped at the task for the engine's thread");
        assertEquals("test-engine", threads.get(2).getName());
    }

    @Test
    void aCallerStandingInNeverTakesOnATaskAnotherThreadQueued() throws InterruptedException {
        // The caller is, say, another engine's thread handing over a frame: while it stands in,
        // someone else queues a long task here. It must run on this engine's thread, not hold the caller.
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> otherRanOn = new AtomicReference<>();
        AtomicReference<Thread> behindRanOn = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        executor.executeHereIfIdle(() -> {
            Thread other = new Thread(() -> executor.execute(() -> {
                order.add("another thread's");
                otherRanOn.set(Thread.currentThread());
            }));
            other.start();
            try {
                other.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor.execute(() -> {
                order.add("its own, behind it");
                behindRanOn.set(Thread.currentThread());
                done.countDown();
            });
            order.add("stand-in");
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("stand-in", "another thread's", "its own, behind it"), order);
        assertEquals("test-engine", otherRanOn.get().getName());
        assertEquals("test-engine", behindRanOn.get().getName(), "order kept: what follows another thread's task waits with it");
    }

    @Test
    void anErrorOrExceptionInATaskACallerStandsInForNeverReachesTheCallerAndTheEngineGoesOn() throws InterruptedException {
        // The caller may be a network event loop: what the task throws must not unwind into it.
        assertDoesNotThrow(() -> executor.executeHereIfIdle(() -> {
            throw new AssertionError("a failing engine task");
        }));
        assertDoesNotThrow(() -> executor.executeHereIfIdle(() -> {
            throw new IllegalStateException("a failing engine task");
        }));
        assertTrue(executor.isIdle(), "the engine is not left marked as running");
        AtomicReference<Thread> nextRanOn = new AtomicReference<>();
        executor.executeHereIfIdle(() -> nextRanOn.set(Thread.currentThread()));
        assertSame(Thread.currentThread(), nextRanOn.get(), "the next task is still taken in by the caller");
        CountDownLatch onItsThread = new CountDownLatch(1);
        executor.execute(onItsThread::countDown);
        assertTrue(onItsThread.await(10, TimeUnit.SECONDS), "the engine's thread still runs tasks");
    }

    @Test
    void aTimerThatFallsDueWhileACallerStandsInStillFires() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        executor.executeHereIfIdle(() -> {
            executor.schedule(fired::countDown, 1);
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            while (System.nanoTime() < due) {
                Thread.onSpinWait(); // holds the engine past the timer's deadline
            }
        });
        assertTrue(fired.await(10, TimeUnit.SECONDS));
    }

    @Test
    void anEarlierDeadlineScheduledLaterFiresFirstAndACancelledTimerNever() throws InterruptedException {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch early = new CountDownLatch(1);
        // The engine's thread is held while the timers are set and one cancelled: a timer due in
        // 1 ms could otherwise fire before the test gets to cancel it, on a busy machine.
        CountDownLatch release = BusyEngine.occupying(executor);
        Runnable cancelLate = executor.schedule(() -> fired.add("late"), 60_000);
        Runnable cancelOther = executor.schedule(() -> fired.add("cancelled"), 1);
        cancelOther.run();
        executor.schedule(() -> {
            fired.add("early");
            early.countDown();
        }, 1);
        release.countDown();
        assertTrue(early.await(10, TimeUnit.SECONDS));
        cancelLate.run();
        CountDownLatch after = new CountDownLatch(1);
        executor.schedule(after::countDown, 5);
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("early"), fired);
    }

    @Test
    void timersWithTheSameDelayFireInTheOrderTheyWereScheduled() throws InterruptedException {
        List<Integer> fired = new CopyOnWriteArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
            int n = i;
            executor.schedule(() -> fired.add(n), 5);
        }
        executor.schedule(last::countDown, 5);
        assertTrue(last.await(10, TimeUnit.SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, fired);
    }

    /**
     * @return a thread calling {@link ThreadEngineExecutor#shutdown()}, returned once it has
     *     stopped the executor and waits for the running task to end
     */
    private Thread stopWhileATaskRuns() throws InterruptedException {
        Thread stopper = new Thread(executor::shutdown, "test-stopper");
        stopper.start();
        // TIMED_WAITING: in shutdown's bounded wait for the running task, after it marked the
        // executor stopped and cleared the queue (waiting for the lock would be WAITING)
        Await.until("shutdown waits for the running task", 10, () -> stopper.getState() == Thread.State.TIMED_WAITING);
        return stopper;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
