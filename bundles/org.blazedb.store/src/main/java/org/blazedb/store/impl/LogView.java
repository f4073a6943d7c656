package org.blazedb.store.impl;

import org.blazedb.api.Change;
import org.blazedb.api.Cursor;
import org.blazedb.api.OperationLog;

/** The {@link OperationLog} of a store: its durable operations, read from the log map. */
final class LogView implements OperationLog {
    private final StoreEngine engine;

    LogView(StoreEngine engine) {
        this.engine = engine;
    }

    @Override
    public long lastPosition() {
        return engine.durablePosition();
    }

    @Override
    public Cursor<Change> read(long afterPosition) {
        engine.checkOpen();
        long end = engine.durablePosition();
        long start = Math.max(0, afterPosition) + 1;
        if (start > end) {
            return Cursors.of(java.util.Collections.emptyIterator());
        }
        return Cursors.of(Cursors.entries(() -> engine.readableFiles().log, start, end),
                e -> engine.change(e.getKey(), LogRecords.decode(e.getKey(), e.getValue())), Long.MAX_VALUE);
    }
}
