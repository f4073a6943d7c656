package org.blazedb.bench.net;

import org.blazedb.bench.CpuTime;
import org.blazedb.bench.Poll;
import org.blazedb.bench.ProcessFigures;
import org.blazedb.bench.sync.StallMeter;
import org.blazedb.bench.sync.TimedReplica;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.net.ClientCredentials;
import org.blazedb.net.ClientInitializer;
import org.blazedb.net.FingerprintPins;
import org.blazedb.net.NetLimits;
import org.blazedb.net.NettyLink;
import org.blazedb.net.NettyTransport;
import org.blazedb.net.TlsContexts;
import org.blazedb.relay.tcp.impl.TcpRelay;
import org.blazedb.relay.tcp.impl.TcpRelayConfig;
import org.blazedb.server.impl.BlazeServer;
import org.blazedb.server.impl.ServerConfig;
import org.blazedb.store.impl.Durability;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.blazedb.sync.impl.EmbeddedSyncEngine;


/**
 * Sync between two processes on loopback over {@link TcpRelay} and {@code BlazeServer}: TLS 1.3,
 * token authentication, pinned fingerprint, both stores durable (SYNC). This process is the client;
 * {@link NetBenchServer} runs in a child JVM with the same class path. Modes:
 *
 * <pre>
 * bulk [ops] [rounds]     the server holds ops small documents (default 1,000,000); a client replica
 *                         starts empty and connects; time until it holds them all. Repeated rounds times
 *                         (default 3), each into a new replica: the first in this JVM as started (its JIT
 *                         compiler busy compiling the path), the later ones in this JVM warm
 * live [rate] [sec]       client connected; the server writes rate documents/s (default 1,000 for 10 s,
 *                         after 10 s of the same writes into the same collection, every recorder running,
 *                         not measured, while both JVMs compile the path);
 *                         write-to-visible latency from the start of each write on the server to its
 *                         change event on the client (wall clock, shared by both processes); then the
 *                         tail attribution ({@link LiveTail}): each write's time split at A's send, B's
 *                         receive, B's apply, laid against both JVMs' stalls and GC pauses, and each
 *                         process's CPU and context switches per write, by thread
 * live1 [rate] [sec]      the same with the server's store, engine and BlazeServer in this process too:
 *                         still TCP + TLS on loopback, but one JVM (what a second process costs)
 * echo [rate] [sec]       the transport alone: frames of 100 bytes sent at rate/s to an echo listener in
 *                         the server process (same TLS pipeline and handshake, no engine, no store);
 *                         round-trip time p50/p99 after 10 s of warm-up
 * clients [n] [ops]       n clients (default 200, each its own store and engine, in this process) connect
 *                         at once to a server holding ops documents (default 10,000) and sync; then each
 *                         writes 5 documents, which reach the server and every other client; errors and
 *                         the resident memory (RSS) of both processes
 * </pre>
 *
 * Run: {@code java -Xmx1g -cp bench/target/benchmarks.jar org.blazedb.bench.net.NetSyncBenchmark bulk}. The
 * server process gets this JVM's {@code -X} options (heap, collector, compiler); the goals are measured
 * with the node launcher's, {@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:-TieredCompilation
 * -XX:+UseShenandoahGC} (see {@code ./blaze}).
 */
public final class NetSyncBenchmark {
    private static final String TOKEN = "bench-" + Long.toHexString(System.nanoTime());
    /**
     * Latency runs first run this long unmeasured, so that both JVMs have compiled the path: on 2
     * cores the JIT compiler still took a quarter of a core 6-11 s after start with 3 s
     * ({@code -Dblaze.bench.warmup.seconds=N} to change).
     */
    private static final int WARM_UP_SECONDS = Integer.getInteger("blaze.bench.warmup.seconds", 10);

    private NetSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "bulk";
        Path root = Files.createTempDirectory("blaze-net-bench");
        try {
            Path token = root.resolve("token");
            Files.writeString(token, TOKEN + "\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
            switch (mode) {
                case "live" -> live(root, arg(args, 1, 1_000), arg(args, 2, 10), false);
                case "live1" -> live(root, arg(args, 1, 1_000), arg(args, 2, 10), true);
                case "clients" -> clients(root, arg(args, 1, 200), arg(args, 2, 10_000));
                case "echo" -> echo(root, arg(args, 1, 1_000), arg(args, 2, 10));
                default -> bulk(root, arg(args, 1, 1_000_000), arg(args, 2, 3));
            }
        } finally {
            delete(root);
        }
    }

    private static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    /**
     * Initial syncs of {@code ops} operations from one server process, each into a new, empty
     * replica (its own store, node id and TLS identity): the first in this JVM as started, the
     * JIT compiler still compiling the path; the later ones in the same JVM, warm.
     */
    private static void bulk(Path root, int ops, int rounds) throws Exception {
        try (ServerProcess server = ServerProcess.start(root, ops)) {
            for (int round = 1; round <= rounds; round++) {
                bulkRound(root.resolve("client-" + round), server, ops,
                        round == 1 ? "first sync in a new JVM" : "sync " + round + " in the same JVM, into a new replica");
            }
        }
    }

    private static void bulkRound(Path dir, ServerProcess server, int ops, String label) throws Exception {
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("client", dir.resolve("store")))) {
            TcpRelay relay = relay(dir.resolve("tls"), server, 1);
            try (EmbeddedSyncEngine engine = NetBenchSupport.engine(store, List.of(relay))) {
                long clientCpuStart = CpuTime.millis();
                long serverCpuStart = CpuTime.millis(server.pid);
                long start = System.nanoTime();
                engine.connect(server.address()).toCompletableFuture().get(30, TimeUnit.MINUTES);
                Poll.until("the client to hold all " + ops + " operations", Duration.ofMinutes(30),
                        () -> NetBenchSupport.total(store.version()) >= ops);
                double seconds = (System.nanoTime() - start) / 1e9;
                long clientCpu = CpuTime.millis() - clientCpuStart;
                long serverCpu = CpuTime.millis(server.pid) - serverCpuStart;
                System.out.printf("net bulk (%s): %,d operations server->client over TLS in %.2f s = %,.0f ops/s;"
                        + " RSS client %d MiB, server %d MiB%n", label, ops, seconds, ops / seconds,
                        NetBenchSupport.rssMiB(ProcessHandle.current().pid()), server.rssMiB());
                System.out.printf("net bulk: CPU used while syncing: client %.2f s (%.2f µs/op), server %.2f s (%.2f µs/op)%n",
                        clientCpu / 1e3, clientCpu * 1e3 / ops, serverCpu / 1e3, serverCpu * 1e3 / ops);
            } finally {
                relay.deactivate();
            }
        }
    }

    private static void live(Path root, int rate, int seconds, boolean oneProcess) throws Exception {
        try (ServerSide server = oneProcess ? InProcessServer.start(root) : ServerProcess.start(root, 0);
             StoreEngine store = StoreEngine.open(StoreOptions.defaults("client", root.resolve("client")))) {
            int total = rate * seconds;
            // The warm-up writes into the same collection as the measured run (ids "w<i>-…" against
            // "l<i>-…") and runs every recorder the measured run runs, so that both JVMs have compiled
            // exactly the path that is measured: a first write into another collection, or recording
            // code first run at the start of the window, made the compilers work through the window.
            Visible warm = new Visible(rate * WARM_UP_SECONDS);
            Visible measuredRun = new Visible(total);
            ChangeListener visible = changes -> {
                long now = NetBenchSupport.epochMicros();
                long nanos = System.nanoTime();
                for (Change c : changes) {
                    String id = c.operation().documentId();
                    (id.charAt(0) == 'w' ? warm : measuredRun).seen(id, now, nanos);
                }
            };
            TcpRelay relay = relay(root.resolve("client-tls"), server, 1);
            FrameTimes received = new FrameTimes();
            TimedReplica applies = new TimedReplica(store, true);
            try (EmbeddedSyncEngine engine = NetBenchSupport.engine(applies, store,
                    List.of(TimedLinks.receivingThrough(relay, received)));
                 AutoCloseable feed = store.addListener(visible, Set.of("live"))) {
                engine.connect(server.address()).toCompletableFuture().get(1, TimeUnit.MINUTES);
                // the same writes first, not measured, with the same recording: both JVMs compile the path meanwhile
                try (StallMeter warmMeter = new StallMeter(); GcPauses warmGc = new GcPauses()) {
                    LiveTail.ProcessUse warmUse = LiveTail.ProcessUse.start(server.pid());
                    received.start();
                    server.live(rate, WARM_UP_SECONDS, "live", "w");
                    Poll.within(Duration.ofSeconds(30), () -> warm.count() >= rate * WARM_UP_SECONDS);
                    warmMeter.stop();
                    warmUse.stop();
                }
                long[] returned;
                LiveTail.ProcessUse use;
                try (StallMeter meter = new StallMeter(); GcPauses gc = new GcPauses()) {
                    use = LiveTail.ProcessUse.start(server.pid());
                    received.start();
                    returned = server.live(rate, seconds, "live", "l");
                    Poll.within(Duration.ofSeconds(30), () -> measuredRun.count() >= total);
                    meter.stop();
                    use.stop();
                    received.stop();
                    LiveTail tail = new LiveTail(server.timings(root.resolve("writer-timings")), received.byDocument(),
                            applies.byDocument(), meter.stalls(), gc.pauses(), meter.stalledPercent(), oneProcess);
                    measuredRun.forEach(tail::visible);
                    tail.print(System.out, use, total);
                }
                long[] fromStart = new long[total];
                long[] fromReturn = new long[total];
                int measured = measuredRun.latencies(returned, fromStart, fromReturn);
                fromStart = Arrays.copyOf(fromStart, measured);
                fromReturn = Arrays.copyOf(fromReturn, measured);
                Arrays.sort(fromStart);
                Arrays.sort(fromReturn);
                System.out.printf("net live: %,d writes at %,d/s for %d s over TLS %s (%d measured);"
                        + " from the server's put returning to the client's change event: p50 %.3f ms, p99 %.3f ms,"
                        + " max %.3f ms; from the put starting (its fsync included): p50 %.3f ms, p99 %.3f ms;"
                        + " after %d s of warm-up; transport %s; load average %s%n",
                        total, rate, seconds, oneProcess ? "within one process" : "between two processes", measured,
                        pct(fromReturn, 0.50), pct(fromReturn, 0.99),
                        fromReturn[measured - 1] / 1e3, pct(fromStart, 0.50), pct(fromStart, 0.99), WARM_UP_SECONDS,
                        NettyTransport.describe(), ProcessFigures.loadAverage());
            } finally {
                relay.deactivate();
            }
        }
    }

    /**
     * The writes of one phase of a live run as the reader's change events showed them, by the index
     * in their id ({@code <prefix><i>-<micros when the write started>}); any thread.
     */
    private static final class Visible {
        private final long[] started;
        private final long[] visibleAt;
        private final long[] visibleNanos;
        private final String[] ids;
        private int seen;

        Visible(int writes) {
            started = new long[writes];
            visibleAt = new long[writes];
            visibleNanos = new long[writes];
            ids = new String[writes];
        }

        synchronized void seen(String id, long micros, long nanos) {
            int i = Integer.parseInt(id.substring(1, id.indexOf('-')));
            started[i] = Long.parseLong(id.substring(id.indexOf('-') + 1));
            visibleAt[i] = micros;
            visibleNanos[i] = nanos;
            ids[i] = id;
            seen++;
        }

        synchronized int count() {
            return seen;
        }

        /** @param action given each write seen: its id and when it was seen, {@link System#nanoTime()} */
        synchronized void forEach(java.util.function.ObjLongConsumer<String> action) {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != null) {
                    action.accept(ids[i], visibleNanos[i]);
                }
            }
        }

        /**
         * @param returned   when each write's put returned, epoch µs
         * @param fromStart  filled with each seen write's time from its put starting to its event, µs
         * @param fromReturn filled with the same from its put returning (0 if the event came first)
         * @return how many writes were seen (the entries filled)
         */
        synchronized int latencies(long[] returned, long[] fromStart, long[] fromReturn) {
            int measured = 0;
            for (int i = 0; i < ids.length; i++) {
                if (visibleAt[i] != 0) {
                    fromStart[measured] = visibleAt[i] - started[i];
                    // may be negative: the change can show on the client before the server's put returns
                    fromReturn[measured] = Math.max(0, visibleAt[i] - returned[i]);
                    measured++;
                }
            }
            return measured;
        }
    }

    private static void echo(Path root, int rate, int seconds) throws Exception {
        try (ServerProcess server = ServerProcess.start(root, 0)) {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                    NettyTransport.ioHandlerFactory());
            try {
                int warm = rate * WARM_UP_SECONDS;
                int total = warm + rate * seconds;
                long[] rtt = new long[total];
                AtomicInteger received = new AtomicInteger();
                LinkHandler handler = new LinkHandler() {
                    @Override
                    public void onFrame(Link link, ByteBuffer frame) {
                        long now = System.nanoTime();
                        int i = frame.getInt();
                        rtt[i] = now - frame.getLong();
                        received.incrementAndGet();
                    }

                    @Override
                    public void onWritabilityChanged(Link link) {
                    }

                    @Override
                    public void onClosed(Link link, Throwable cause) {
                    }
                };
                URI address = URI.create("tcp://127.0.0.1:" + server.echoPort);
                ClientInitializer init = new ClientInitializer(
                        TlsContexts.client(), NetLimits.DEFAULTS,
                        new ClientCredentials("echo-client", tokenOf(server)),
                        FingerprintPins.configured(Map.of("127.0.0.1:" + server.echoPort, server.fingerprint)),
                        address, handler);
                new Bootstrap().group(group).channel(NettyTransport.socketChannel())
                        .handler(init).connect("127.0.0.1", server.echoPort);
                NettyLink link = init.result().get(1, TimeUnit.MINUTES);
                long interval = 1_000_000_000L / rate;
                long next = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    // parked, not spinning: a spinning sender takes one of this machine's two cores
                    for (long wait; (wait = next - System.nanoTime()) > 0; ) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    next += interval;
                    link.send(ByteBuffer.allocate(100).putInt(i).putLong(System.nanoTime()).flip().limit(100));
                }
                Poll.within(Duration.ofSeconds(30), () -> received.get() >= total);
                long[] sorted = Arrays.stream(rtt, warm, total).filter(v -> v > 0).sorted().map(v -> v / 1_000).toArray();
                // where the slow round trips fall, warm-up included: count over 10 ms per second
                int[] slowPerSecond = new int[WARM_UP_SECONDS + seconds];
                for (int i = 0; i < total; i++) {
                    if (rtt[i] > 10_000_000L) {
                        slowPerSecond[i / rate]++;
                    }
                }
                System.out.println("net echo: round trips over 10 ms per second, the first " + WARM_UP_SECONDS
                        + " not measured: " + Arrays.toString(slowPerSecond));
                System.out.printf("net echo: %,d frames at %,d/s over TLS to the other process and back after %d s of"
                        + " warm-up (%d returned); round trip p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", total - warm, rate,
                        WARM_UP_SECONDS, sorted.length,
                        pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e3);
                link.close(null, "done");
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    private static String tokenOf(ServerProcess server) throws IOException {
        return Files.readAllLines(server.tokenFile).get(0).strip();
    }

    private static void clients(Path root, int n, int ops) throws Exception {
        try (ServerProcess server = ServerProcess.start(root, ops)) {
            TcpRelay relay = relay(root.resolve("client-tls"), server, 2);
            List<StoreEngine> stores = new ArrayList<>();
            List<EmbeddedSyncEngine> engines = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    // a small page cache each: n stores share this JVM
                    StoreEngine s = StoreEngine.open(new StoreOptions("client" + i, root.resolve("clients/" + i),
                            Durability.SYNC, 100, 1, StoreOptions.DEFAULT_MIN_FREE_BYTES));
                    stores.add(s);
                    engines.add(NetBenchSupport.engine(s, List.<Relay>of(relay)));
                }
                long start = System.nanoTime();
                List<CompletableFuture<PeerStatusDTO>> rounds = new ArrayList<>();
                for (EmbeddedSyncEngine e : engines) {
                    rounds.add(e.connect(server.address()).toCompletableFuture());
                }
                CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                awaitAll(stores, ops);
                double initial = (System.nanoTime() - start) / 1e9;
                long written = 5L * n;
                long liveStart = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < 5; j++) {
                        stores.get(i).collection("from-clients").put("c" + i + "-" + j, NetBenchSupport.doc(j));
                    }
                }
                awaitAll(stores, ops + written);
                double fanOut = (System.nanoTime() - liveStart) / 1e9;
                String[] status = server.command("STATUS", "STATUS").split(" ");
                long clientErrors = engines.stream().flatMap(e -> e.peers().stream()).mapToLong(p -> p.errors).sum();
                System.out.printf("net clients: %d clients connected at once; initial sync of %,d operations each in %.2f s"
                        + " (%,.0f ops/s delivered); then %d writes (5 per client) reached the server and all %d clients"
                        + " in %.2f s (%,d operations delivered); server: %s connected, %s errors, holds %s; client"
                        + " errors %d; RSS server %d MiB, clients' process %d MiB%n",
                        n, ops, initial, (double) n * ops / initial, written, n, fanOut, n * written, status[1], status[2],
                        status[3], clientErrors, server.rssMiB(), NetBenchSupport.rssMiB(ProcessHandle.current().pid()));
            } finally {
                for (EmbeddedSyncEngine e : engines) {
                    e.close();
                }
                relay.deactivate();
                for (StoreEngine s : stores) {
                    s.close();
                }
            }
        }
    }

    private static void awaitAll(List<StoreEngine> stores, long ops) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        for (StoreEngine s : stores) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!Poll.within(left, () -> NetBenchSupport.total(s.version()) >= ops)) {
                throw new IllegalStateException(s.name() + " holds " + NetBenchSupport.total(s.version()) + " of " + ops);
            }
        }
    }

    private static TcpRelay relay(Path tls, ServerSide server, int threads) throws Exception {
        return new TcpRelay(NetBenchSupport.config(TcpRelayConfig.class, Map.of("token_file", server.tokenFile().toString(),
                "pins", new String[] {"127.0.0.1:" + server.port() + "=" + server.fingerprint()}, "trust_on_first_use", false,
                "threads", threads)), tls);
    }

    private static double pct(long[] sortedMicros, double p) {
        return sortedMicros.length == 0 ? Double.NaN : sortedMicros[Math.min(sortedMicros.length - 1, (int) (sortedMicros.length * p))] / 1e3;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Where the server side of a run lives: another JVM, or this one. */
    private interface ServerSide extends AutoCloseable {
        URI address();

        int port();

        String fingerprint();

        Path tokenFile();

        /**
         * Writes rate documents/s for seconds into collection, with ids {@code <prefix><i>-<µs>};
         * @return when each write returned, epoch µs
         */
        long[] live(int rate, int seconds, String collection, String prefix) throws Exception;

        /** @return the process of the server side (this one in one process) */
        long pid();

        /** @param file where a child process may pass them @return what the writer saw of its last run */
        WriterTimings timings(Path file) throws Exception;
    }

    /** The server's store, engine and BlazeServer in this JVM. */
    private static final class InProcessServer implements ServerSide {
        private final Path token;
        private final StoreEngine store;
        private final EmbeddedSyncEngine engine;
        private final BlazeServer server;
        private final FrameTimes sent = new FrameTimes();
        private NetBenchServer.LiveWrites last;

        private InProcessServer(Path root) throws Exception {
            this.token = root.resolve("token");
            this.store = StoreEngine.open(StoreOptions.defaults("server", root.resolve("server/store")));
            this.engine = NetBenchSupport.engine(store, List.of());
            this.server = new BlazeServer(NetBenchSupport.config(ServerConfig.class,
                    Map.of("port", 0, "token_file", token.toString())), root.resolve("server/tls"));
            server.serve(TimedLinks.sendingThrough(engine, sent));
        }

        static InProcessServer start(Path root) throws Exception {
            return new InProcessServer(root);
        }

        @Override
        public URI address() {
            return URI.create("tcp://127.0.0.1:" + port());
        }

        @Override
        public int port() {
            return server.address().getPort();
        }

        @Override
        public String fingerprint() {
            return server.fingerprint();
        }

        @Override
        public Path tokenFile() {
            return token;
        }

        @Override
        public long[] live(int rate, int seconds, String collection, String prefix) {
            sent.start();
            // the benchmark's own stall meter and GC record cover this JVM
            last = NetBenchServer.write(store, rate, seconds, collection, prefix);
            return last.returnedMicros();
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public WriterTimings timings(Path file) {
            sent.stop();
            return WriterTimings.of(last, sent, List.of(), List.of(), 0, -1);
        }

        @Override
        public void close() {
            server.deactivate();
            engine.close();
            store.close();
        }
    }

    /** The child JVM running {@link NetBenchServer}. */
    private static final class ServerProcess implements ServerSide {
        final Process process;
        final BufferedReader out;
        final PrintStream in;
        final Path tokenFile;
        int port;
        int echoPort;
        String fingerprint;
        long pid;

        private ServerProcess(Process process, Path tokenFile) {
            this.process = process;
            this.tokenFile = tokenFile;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static ServerProcess start(Path root, int ops) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path token = root.resolve("token");
            List<String> command = new ArrayList<>(List.of(java));
            List<String> jvmOptions = serverJvmOptions();
            command.addAll(jvmOptions);
            if (System.getProperty(NettyTransport.PROPERTY) != null) {
                // both processes on the same transport
                command.add("-D" + NettyTransport.PROPERTY + "=" + System.getProperty(NettyTransport.PROPERTY));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    NetBenchServer.class.getName(), root.resolve("server").toString(), token.toString(), Integer.toString(ops)));
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ServerProcess server = new ServerProcess(p, token);
            String[] ready = server.await("READY").split(" ");
            server.port = Integer.parseInt(ready[1]);
            server.fingerprint = ready[2];
            server.pid = Long.parseLong(ready[3]);
            server.echoPort = Integer.parseInt(ready[4]);
            System.out.printf("server process %d ready on port %d with %,d operations; JVM options of both processes: %s%n",
                    server.pid, server.port, ops, String.join(" ", jvmOptions));
            return server;
        }

        /**
         * The server JVM's options: this JVM's own {@code -X} options (heap, collector), so that both
         * processes run alike, and a 1 GiB heap limit if this JVM was given none.
         */
        private static List<String> serverJvmOptions() {
            List<String> options = new ArrayList<>();
            for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("-X")) {
                    options.add(a);
                }
            }
            if (options.stream().noneMatch(a -> a.startsWith("-Xmx"))) {
                options.add(0, "-Xmx1g");
            }
            return options;
        }

        @Override
        public URI address() {
            return URI.create("tcp://127.0.0.1:" + port);
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public Path tokenFile() {
            return tokenFile;
        }

        @Override
        public long[] live(int rate, int seconds, String collection, String prefix) throws IOException {
            String[] done = command("LIVE " + rate + " " + seconds + " " + collection + " " + prefix, "DONE").split(" ");
            long[] returned = new long[done.length - 2];
            for (int i = 0; i < returned.length; i++) {
                returned[i] = Long.parseLong(done[2 + i]);
            }
            return returned;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public WriterTimings timings(Path file) throws IOException {
            command("TIMINGS " + file, "TIMINGS");
            return WriterTimings.read(file);
        }

        String command(String line, String answer) throws IOException {
            in.println(line);
            return await(answer);
        }

        private String await(String prefix) throws IOException {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new IOException("the server process ended before answering " + prefix);
        }

        long rssMiB() throws IOException {
            return NetBenchSupport.rssMiB(pid);
        }

        @Override
        public void close() throws InterruptedException {
            in.println("QUIT");
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
