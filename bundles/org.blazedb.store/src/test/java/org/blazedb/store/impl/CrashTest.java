package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.Change;
import org.blazedb.api.Document;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL at random moments and checks after each kill that the store
 * opens, holds every acknowledged write with its value and none it reported as failed, that its
 * origin map finds every operation where the log holds it, and that replaying its operation log
 * reproduces every document exactly. {@code -Dblaze.crash.cycles=N} sets the number of cycles
 * (default 10); {@code -Dblaze.crash.seed=S} replays a run.
 */
class CrashTest {
    private static final int CYCLES = Integer.getInteger("blaze.crash.cycles", 10);
    private static final long SEED = Long.getLong("blaze.crash.seed", System.nanoTime());

    @TempDir
    Path dir;

    private record Ack(long sequence, String id, OperationKind kind, long w) {
    }

    /** A write the store reported as failed: no operation of {@code id} may carry {@code w}. */
    private record Failed(String id, long w) {
    }

    /** The writes reported as failed, per cycle. */
    private final List<Integer> failures = new CopyOnWriteArrayList<>();

    /** The most compactions one writer process reported before its kill, per cycle. */
    private final List<Integer> compactions = new CopyOnWriteArrayList<>();
    /** The most large groups committed as checkpoints one writer process reported, per cycle. */
    private final List<Integer> largeGroups = new CopyOnWriteArrayList<>();
    /** Per cycle, the failures injected after a synced checkpoint (the {@code failing} variant). */
    private final List<Integer> afterCheckpointFaults = new CopyOnWriteArrayList<>();

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        run(false);
    }

    /**
     * The same, with a checkpoint after nearly every group and the file compacted whenever it is
     * over 256 KiB and half dead: the kills land while copies are written, renamed and replayed.
     */
    @Test
    void everyAcknowledgedWriteSurvivesSigkillWhileTheFileIsCompacted() throws Exception {
        run(true);
        int total = compactions.stream().mapToInt(Integer::intValue).sum();
        assertTrue(total > 0, "the writers compacted their file at least once (seed " + SEED + ")");
    }

    /**
     * The same, with one checkpoint fsync in four failing in the writer (as on a disk that fills
     * up), and the work after one synced checkpoint in four: besides every acknowledged write
     * (those of a checkpoint whose follow-up failed included), no write the store reported as
     * failed is found.
     */
    @Test
    void noWriteReportedAsFailedAppearsWhenCheckpointSyncsFail() throws Exception {
        run("failing");
        int failed = failures.stream().mapToInt(Integer::intValue).sum();
        assertTrue(failed > 0, "the store reported failed writes (seed " + SEED + ")");
        int after = afterCheckpointFaults.stream().mapToInt(Integer::intValue).sum();
        assertTrue(after > 0, "the work after a synced checkpoint failed at least once (seed " + SEED + ")");
    }

    private void run(boolean compacting) throws Exception {
        run(compacting ? "compact" : "plain");
    }

    private void run(String mode) throws Exception {
        Random random = new Random(SEED);
        long totalAcks = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            List<Failed> failed = new CopyOnWriteArrayList<>();
            List<Ack> acks = runAndKill(random.nextInt(700) + 100, mode, failed);
            assertFalse(acks.isEmpty(), "cycle " + cycle + " (seed " + SEED + "): the writer acknowledged writes before the kill");
            totalAcks += acks.size();
            failures.add(failed.size());
            verify(acks, failed, "cycle " + cycle + " (seed " + SEED + ")");
        }
        int large = largeGroups.stream().mapToInt(Integer::intValue).sum();
        boolean compacting = mode.equals("compact");
        System.out.println("CrashTest" + (mode.equals("plain") ? "" : compacting ? " (compacting)" : " (" + mode + ")") + ": " + CYCLES + " SIGKILL cycles, " + totalAcks
                + " acknowledged writes verified, " + large + " large groups committed as checkpoints"
                + (compacting ? ", " + compactions.stream().mapToInt(Integer::intValue).sum() + " compactions installed" : "")
                + (mode.equals("failing") ? ", " + failures.stream().mapToInt(Integer::intValue).sum() + " writes reported failed and not found, "
                        + afterCheckpointFaults.stream().mapToInt(Integer::intValue).sum() + " failures after a synced checkpoint" : "")
                + " (seed " + SEED + ")");
        if (!compacting) {
            assertTrue(large > 0, "the batch writer's groups were committed as checkpoints at least once (seed " + SEED + ")");
        }
    }

    private List<Ack> runAndKill(long runMillis, String mode, List<Failed> failed) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                dir.toString(), "4", mode).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int[] compacted = {0};
        int[] large = {0};
        int[] after = {0};
        List<Ack> acks = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("READY")) {
                        ready.countDown();
                    }
                    String[] p = line.split(" ");
                    if (p.length == 2 && p[0].equals("COMPACTIONS")) {
                        compacted[0] = Math.max(compacted[0], Integer.parseInt(p[1]));
                    }
                    if (p.length == 2 && p[0].equals("LARGE")) {
                        large[0] = Math.max(large[0], Integer.parseInt(p[1]));
                    }
                    if (p.length == 2 && p[0].equals("AFTER")) {
                        after[0] = Math.max(after[0], Integer.parseInt(p[1]));
                    }
                    if (p.length == 6 && p[0].equals("ACK") && p[5].equals("$")) {
                        acks.add(new Ack(Long.parseLong(p[1]), p[2], OperationKind.valueOf(p[3]), Long.parseLong(p[4])));
                    }
                    if (p.length == 4 && p[0].equals("FAILED") && p[3].equals("$")) {
                        failed.add(new Failed(p[1], Long.parseLong(p[2])));
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        });
        reader.start();
        try {
            assertTrue(ready.await(60, TimeUnit.SECONDS), "the writer started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acks.size() < 10 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.onSpinWait();
            }
            // a random moment after the writes are flowing
            child.waitFor(runMillis, TimeUnit.MILLISECONDS);
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            compactions.add(compacted[0]);
            largeGroups.add(large[0]);
            afterCheckpointFaults.add(after[0]);
        }
        return new ArrayList<>(acks);
    }

    private void verify(List<Ack> acks, List<Failed> failed, String what) {
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("crash", dir))) {
            // The log is gap-free and holds every acknowledged operation as acknowledged.
            Map<Long, Operation> bySequence = new HashMap<>();
            Map<String, DocState> replay = new TreeMap<>();
            long expected = 1;
            try (var log = store.log().read(0)) {
                while (log.hasNext()) {
                    Change c = log.next();
                    assertEquals(expected++, c.position(), what + ": log positions without gaps");
                    // the origin map's runs (written with the groups, replayed from the write-ahead log) place it there
                    assertEquals(c.position(), StoreEngine.positionOf(store.files.origin(c.operation().id().origin(), false),
                            c.operation().id().sequence()), what + ": the origin map finds " + c.operation().id());
                    bySequence.put(c.operation().id().sequence(), c.operation());
                    replay.computeIfAbsent(c.operation().documentId(), k -> DocState.empty()).apply(c.operation());
                }
            }
            assertEquals(store.version().get(store.nodeId()), expected - 1, what);
            // No write reported as failed is in the log (nor, then, in a document).
            Map<String, java.util.Set<Value>> written = new HashMap<>();
            for (Operation op : bySequence.values()) {
                if (op.kind() != OperationKind.DELETE) {
                    written.computeIfAbsent(op.documentId(), k -> new java.util.HashSet<>()).add(op.fields().entries().get("w"));
                }
            }
            for (Failed f : failed) {
                assertFalse(written.getOrDefault(f.id, java.util.Set.of()).contains(Value.of(f.w)),
                        what + ": the write of " + f + " was reported as failed, and is in the log");
            }
            Map<String, Ack> lastAck = new HashMap<>();
            long maxAck = acks.stream().mapToLong(Ack::sequence).max().orElse(0);
            long missing = acks.stream().filter(a -> !bySequence.containsKey(a.sequence)).count();
            assertEquals(0, missing, what + ": " + missing + " of " + acks.size() + " acknowledged writes are missing; the log ends at "
                    + (expected - 1) + ", the last acknowledged sequence is " + maxAck);
            for (Ack a : acks) {
                Operation op = bySequence.get(a.sequence);
                assertNotNull(op, what + ": acknowledged write " + a + " is in the log");
                assertEquals(a.id, op.documentId(), what);
                assertEquals(a.kind, op.kind(), what);
                if (a.kind != OperationKind.DELETE) {
                    assertEquals(Value.of(a.w), op.fields().entries().get("w"), what);
                }
                lastAck.merge(a.id, a, (x, y) -> x.sequence > y.sequence ? x : y);
            }
            for (Ack a : lastAck.values()) {
                Document d = store.collection("crash").getIncludingDeleted(a.id).orElseThrow();
                assertTrue(d.lastOp().sequence() >= a.sequence, what + ": " + a + " or a later write is the state of " + a.id);
                if (d.lastOp().sequence() == a.sequence) {
                    assertEquals(a.kind == OperationKind.DELETE, d.deleted(), what + ": " + a);
                    if (a.kind != OperationKind.DELETE) {
                        assertEquals(Value.of(a.w), d.fields().entries().get("w"), what + ": " + a);
                    }
                }
            }
            // Replaying the log reproduces every document exactly.
            long live = 0;
            for (Map.Entry<String, DocState> e : replay.entrySet()) {
                Document replayed = e.getValue().toDocument("crash", e.getKey());
                assertEquals(replayed, store.collection("crash").getIncludingDeleted(e.getKey()).orElseThrow(), what + ": replay of " + e.getKey());
                live += replayed.deleted() ? 0 : 1;
            }
            assertEquals(live, store.collection("crash").count(), what + ": live count");
        }
    }
}
