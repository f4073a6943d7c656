package org.blazedb.bench.net;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.bench.AllocatedBytes;
import org.blazedb.bench.sync.StallMeter;
import org.blazedb.net.NodeIdentity;
import org.blazedb.server.impl.BlazeServer;
import org.blazedb.server.impl.ServerConfig;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.blazedb.sync.impl.EmbeddedSyncEngine;

/**
 * The server process of {@link NetSyncBenchmark}: a durable store, its sync engine and a
 * {@link BlazeServer} (TLS 1.3, token from a file) on a free loopback port, and an
 * {@link EchoListener} with the same identity. Arguments: {@code <data folder> <token file>
 * <operations to load>}. Prints {@code READY <port> <fingerprint> <pid> <echo port>}, then obeys lines on standard input: {@code LIVE <rate> <seconds> <collection>} (timed writes, answers
 * {@code DONE <n>} and when each write returned), {@code TIMINGS <file>} (writes the last run's
 * {@link WriterTimings} there, answers {@code TIMINGS}), {@code STATUS} (answers {@code STATUS <connected peers> <errors> <ops held>}),
 * {@code QUIT}.
 */
public final class NetBenchServer {
    private NetBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int load = Integer.parseInt(args[2]);
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("server", root.resolve("store")))) {
            for (int i = 0; i < load; i += 1000) {
                WriteBatch batch = new WriteBatch();
                for (int j = i; j < Math.min(load, i + 1000); j++) {
                    batch.put("items", "item-" + j, NetBenchSupport.doc(j));
                }
                store.write(batch);
            }
            try (EmbeddedSyncEngine engine = NetBenchSupport.engine(store, List.of())) {
                FrameTimes sent = new FrameTimes();
                LiveWrites last = null;
                BlazeServer server = new BlazeServer(NetBenchSupport.config(ServerConfig.class,
                        Map.of("port", 0, "token_file", args[1], "max_connections", 4096)), root.resolve("tls"));
                server.serve(TimedLinks.sendingThrough(engine, sent));
                String token = java.nio.file.Files.readAllLines(Path.of(args[1])).get(0).strip();
                try (EchoListener echo = new EchoListener(NodeIdentity.loadOrCreate(root.resolve("tls")), token)) {
                    System.out.println("READY " + server.address().getPort() + " " + server.fingerprint() + " "
                            + ProcessHandle.current().pid() + " " + echo.port());
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null && !line.equals("QUIT"); ) {
                        String[] cmd = line.split(" ");
                        if (cmd[0].equals("LIVE")) {
                            sent.start();
                            last = live(store, Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]), cmd[3], cmd[4]);
                            StringBuilder answer = new StringBuilder("DONE ").append(last.ids().length);
                            for (long r : last.returnedMicros()) {
                                answer.append(' ').append(r);
                            }
                            System.out.println(answer);
                        } else if (cmd[0].equals("TIMINGS") && last != null) {
                            sent.stop();
                            WriterTimings.of(last, sent, last.stalls(), last.gcs(), last.stalledPercent(), last.allocatedBytes())
                                    .write(Path.of(cmd[1]));
                            System.out.println("TIMINGS written");
                        } else if (cmd[0].equals("STATUS")) {
                            List<PeerStatusDTO> peers = engine.peers();
                            System.out.println("STATUS " + peers.stream().filter(p -> p.connected).count() + " "
                                    + peers.stream().mapToLong(p -> p.errors).sum() + " "
                                    + NetBenchSupport.total(store.version()));
                        }
                    }
                } finally {
                    server.deactivate();
                }
            }
        }
    }

    /**
     * One live run of the writer: each write's document id, when its put started and returned
     * ({@link System#nanoTime()}), and when it returned in wall-clock microseconds; the writer
     * JVM's stalls and GC pauses meanwhile, and the bytes its threads allocated (when measured in
     * this process; else -1).
     */
    record LiveWrites(String[] ids, long[] startNanos, long[] returnNanos, long[] returnedMicros, List<long[]> stalls,
            List<long[]> gcs, double stalledPercent, long allocatedBytes) {
    }

    /**
     * Writes {@code rate} documents a second, each id ({@code <prefix><i>-<micros>}) carrying the
     * wall-clock microsecond its write started, with a stall meter, the GC pauses of this JVM and
     * the bytes it allocated recorded meanwhile.
     */
    static LiveWrites live(StoreEngine store, int rate, int seconds, String collection, String prefix)
            throws InterruptedException {
        try (StallMeter meter = new StallMeter(); GcPauses gc = new GcPauses()) {
            long allocated = AllocatedBytes.now();
            LiveWrites run = write(store, rate, seconds, collection, prefix);
            allocated = allocated < 0 ? -1 : AllocatedBytes.now() - allocated;
            meter.stop();
            return new LiveWrites(run.ids(), run.startNanos(), run.returnNanos(), run.returnedMicros(), meter.stalls(),
                    gc.pauses(), meter.stalledPercent(), allocated);
        }
    }

    /**
     * Writes {@code rate} documents a second without measuring this JVM (see {@link #live}); the
     * warm-up writes into the same collection as the measured run, with another prefix, so that
     * the measured run takes exactly the paths the warm-up compiled.
     */
    static LiveWrites write(StoreEngine store, int rate, int seconds, String collection, String prefix) {
        int total = rate * seconds;
        String[] ids = new String[total];
        long[] startNanos = new long[total];
        long[] returnNanos = new long[total];
        long[] returned = new long[total];
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            // parked, not spinning: a spinning writer would take one of the machine's two cores
            for (long wait; (wait = next - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
            next += interval;
            ids[i] = prefix + i + "-" + NetBenchSupport.epochMicros();
            startNanos[i] = System.nanoTime();
            store.collection(collection).put(ids[i], NetBenchSupport.doc(i));
            returnNanos[i] = System.nanoTime();
            returned[i] = NetBenchSupport.epochMicros();
        }
        return new LiveWrites(ids, startNanos, returnNanos, returned, List.of(), List.of(), 0, -1);
    }
}
