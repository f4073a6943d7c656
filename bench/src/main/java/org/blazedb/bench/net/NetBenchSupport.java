package org.blazedb.bench.net;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.value.MapValue;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.sync.impl.EmbeddedSyncEngine;

/** What both processes of the network benchmarks share. */
final class NetBenchSupport {
    private NetBenchSupport() {
    }

    /**
     * @param type      a configuration annotation ({@code ServerConfig}, {@code TcpRelayConfig})
     * @param overrides attribute method name → value; the others keep their defaults
     * @return an instance, as DS would build it from Config Admin
     */
    static <A> A config(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> overrides.getOrDefault(method.getName(), method.getDefaultValue())));
    }

    /** @return a sync engine for the store, registered as its change listener */
    static EmbeddedSyncEngine engine(StoreEngine store, List<Relay> relays) {
        return engine(store, store, relays);
    }

    /** @return a sync engine over replica (the store, or a wrapper of it), registered as the store's change listener */
    static EmbeddedSyncEngine engine(Replica replica, StoreEngine store, List<Relay> relays) {
        EmbeddedSyncEngine engine = new EmbeddedSyncEngine(replica, new LastWriterWinsResolver(), relays);
        store.addListener(engine, Set.of());
        return engine;
    }

    static MapValue doc(int i) {
        return MapValue.builder().put("n", i).put("name", "user-" + i).put("active", i % 2 == 0).build();
    }

    /** @return how many operations the vector covers */
    static long total(VersionVector v) {
        return v.entries().values().stream().mapToLong(Long::longValue).sum();
    }

    /** @param pid a process on this machine @return its resident set size in MiB, from /proc */
    static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        return -1;
    }

    /** @return now, in microseconds since the epoch (the same clock in both processes of one machine) */
    static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
