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
 * {@code DONE <n>} and when each write returned), {@code STATUS} (answers {@code STATUS <connected peers> <errors> <ops held>}),
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
                BlazeServer server = new BlazeServer(NetBenchSupport.config(ServerConfig.class,
                        Map.of("port", 0, "token_file", args[1], "max_connections", 4096)), root.resolve("tls"));
                server.serve(engine);
                String token = java.nio.file.Files.readAllLines(Path.of(args[1])).get(0).strip();
                try (EchoListener echo = new EchoListener(NodeIdentity.loadOrCreate(root.resolve("tls")), token)) {
                    System.out.println("READY " + server.address().getPort() + " " + server.fingerprint() + " "
                            + ProcessHandle.current().pid() + " " + echo.port());
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    for (String line; (line = in.readLine()) != null && !line.equals("QUIT"); ) {
                        String[] cmd = line.split(" ");
                        if (cmd[0].equals("LIVE")) {
                            long[] returned = live(store, Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]), cmd[3]);
                            StringBuilder answer = new StringBuilder("DONE ").append(returned.length);
                            for (long r : returned) {
                                answer.append(' ').append(r);
                            }
                            System.out.println(answer);
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
     * Writes {@code rate} documents a second, each id ({@code l<i>-<micros>}) carrying the
     * wall-clock microsecond its write started; @return when each write returned (durable), in
     * the same clock
     */
    static long[] live(StoreEngine store, int rate, int seconds, String collection) {
        int total = rate * seconds;
        long[] returned = new long[total];
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            // parked, not spinning: a spinning writer would take one of the machine's two cores
            for (long wait; (wait = next - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
            next += interval;
            store.collection(collection).put("l" + i + "-" + NetBenchSupport.epochMicros(), NetBenchSupport.doc(i));
            returned[i] = NetBenchSupport.epochMicros();
        }
        return returned;
    }
}
