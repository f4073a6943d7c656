package org.blazedb.store.impl;

import static org.blazedb.store.impl.StoreEngineTest.doc;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeFeedsTest {
    @TempDir
    Path dir;
    private StoreEngine store;

    @BeforeEach
    void open() {
        store = StoreEngine.open(StoreOptions.defaults("feeds", dir));
    }

    @AfterEach
    void close() {
        store.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, 20, condition);
    }

    /** Records every change and the threads it arrived on. */
    static class Recorder implements ChangeListener {
        final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicInteger batches = new AtomicInteger();
        private final long resume;

        Recorder(long resume) {
            this.resume = resume;
        }

        @Override
        public void onChanges(List<Change> batch) {
            threads.add(Thread.currentThread());
            batches.incrementAndGet();
            changes.addAll(batch);
        }

        @Override
        public long resumeAfter() {
            return resume;
        }
    }

    @Test
    void concurrentWritersAreDeliveredInCommitOrderOffTheirThreads() throws Exception {
        Recorder recorder = new Recorder(ChangeListener.FROM_NOW);
        store.addListener(recorder, Set.of());
        int writers = 8;
        int each = 100;
        Set<Thread> writerThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int me = w;
            Thread t = new Thread(() -> {
                writerThreads.add(Thread.currentThread());
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    store.collection("c").put("w" + me + "-" + i, doc("i", i));
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        await("all changes", () -> recorder.changes.size() == writers * each);
        List<Change> got = new ArrayList<>(recorder.changes);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i + 1, got.get(i).position(), "commit order, nothing skipped or repeated");
        }
        assertTrue(Collections.disjoint(recorder.threads, writerThreads), "never on a writer's thread");
        assertTrue(recorder.batches.get() <= got.size());
    }

    @Test
    void receivedOperationsReachTheFeedsAsTheLogHoldsThem() throws Exception {
        StoreEngine peer = StoreEngine.open(StoreOptions.defaults("peer", dir.resolve("peer")));
        try {
            for (int i = 0; i < 3000; i++) {
                peer.collection("c").put("p" + i, doc("i", i));
            }
            peer.collection("c").delete("p7");
            List<org.blazedb.api.Operation> sent = StoreEngineTest.drain(peer.operationsMissingFrom(org.blazedb.api.VersionVector.EMPTY));
            Recorder first = new Recorder(ChangeListener.FROM_NOW);
            Recorder second = new Recorder(ChangeListener.FROM_NOW);
            store.addListener(first, Set.of());
            store.addListener(second, Set.of());
            store.collection("c").put("local", doc("i", -1));
            store.apply(peer.nodeId(), sent.subList(0, 1000), ReplicaTest.LWW);
            store.apply(peer.nodeId(), sent.subList(1000, sent.size()), ReplicaTest.LWW);
            await("every change", () -> first.changes.size() == sent.size() + 1 && second.changes.size() == sent.size() + 1);
            List<Change> logged = StoreEngineTest.drain(store.log().read(0));
            assertEquals(logged, new ArrayList<>(first.changes), "positions, operations and origins as the log holds them");
            assertEquals(logged, new ArrayList<>(second.changes));
            assertEquals(sent, logged.subList(1, logged.size()).stream().map(Change::operation).toList());
        } finally {
            peer.close();
        }
    }

    @Test
    void aFailingListenerGetsTheSameBatchAgainAndDelaysOnlyItself() throws Exception {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        ChangeListener flaky = batch -> {
            if (failures.getAndIncrement() < 2) {
                throw new IllegalStateException("listener failure for the test");
            }
            batch.forEach(c -> seen.add(c.position()));
        };
        CountDownLatch release = new CountDownLatch(1);
        ChangeListener stuck = batch -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Recorder healthy = new Recorder(ChangeListener.FROM_NOW);
        store.addListener(stuck, Set.of());
        store.addListener(flaky, Set.of());
        store.addListener(healthy, Set.of());
        store.collection("c").put("a", doc());
        store.collection("c").put("b", doc());
        await("the healthy listener", () -> healthy.changes.size() == 2);
        await("the flaky listener, after retries", () -> seen.size() >= 2);
        assertEquals(List.of(1L, 2L), seen.subList(0, 2));
        assertTrue(failures.get() >= 3);
        store.collection("c").put("c", doc()); // writers are not held up by the stuck listener
        await("the healthy listener again", () -> healthy.changes.size() == 3);
        release.countDown();
    }

    @Test
    void listenersResumeAfterASavedPositionAndFilterCollections() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.collection(i % 2 == 0 ? "even" : "odd").put("d" + i, doc());
        }
        Recorder fromStart = new Recorder(ChangeListener.FROM_START);
        Recorder fromThree = new Recorder(3);
        Recorder evenOnly = new Recorder(ChangeListener.FROM_START);
        Recorder fromNow = new Recorder(ChangeListener.FROM_NOW);
        AutoCloseable handle = store.addListener(fromStart, Set.of());
        store.addListener(fromThree, Set.of());
        store.addListener(evenOnly, Set.of("even"));
        store.addListener(fromNow, Set.of());
        store.collection("odd").put("d5", doc());
        await("replay", () -> fromStart.changes.size() == 6 && fromThree.changes.size() == 3
                && evenOnly.changes.size() == 3 && fromNow.changes.size() == 1);
        assertEquals(4, fromThree.changes.get(0).position());
        assertTrue(evenOnly.changes.stream().allMatch(c -> c.operation().collection().equals("even")));
        assertEquals(6, fromNow.changes.get(0).position());
        handle.close();
        store.collection("odd").put("d6", doc());
        await("the others", () -> fromNow.changes.size() == 2);
        assertEquals(6, fromStart.changes.size(), "a removed listener gets nothing more");
    }
}
