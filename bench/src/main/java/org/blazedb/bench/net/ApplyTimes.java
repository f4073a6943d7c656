package org.blazedb.bench.net;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.Operation;
import org.blazedb.api.sync.Replica;

/**
 * When the receiving store applied each operation: a {@link Replica} wrapper that passes every
 * call through and notes, for {@code apply} (one durable commit of received operations, fsync
 * included), its start and end against each document id it carried.
 */
final class ApplyTimes {
    private final Map<String, long[]> byDocument = new HashMap<>();

    /** @return the replica, noting its applies here */
    Replica wrap(Replica replica) {
        return (Replica) Proxy.newProxyInstance(Replica.class.getClassLoader(), new Class<?>[] {Replica.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("apply")) {
                        return TimedLinks.invoke(method, replica, args);
                    }
                    long start = System.nanoTime();
                    try {
                        return TimedLinks.invoke(method, replica, args);
                    } finally {
                        long end = System.nanoTime();
                        @SuppressWarnings("unchecked")
                        List<Operation> ops = (List<Operation>) args[1];
                        synchronized (byDocument) {
                            for (Operation op : ops) {
                                byDocument.putIfAbsent(op.documentId(), new long[] {start, end});
                            }
                        }
                    }
                });
    }

    /** @return document id → {start, end} of the apply that carried it, {@link System#nanoTime()} */
    Map<String, long[]> byDocument() {
        synchronized (byDocument) {
            return new HashMap<>(byDocument);
        }
    }
}
