package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;

/** The appender's jobs put their records in order, report what failed, and are refused once it is closed. */
class DocumentAppenderTest {
    private static MVMap<String, byte[]> map(MVStore store) {
        return store.openMap("d.c", StoreFiles.builder("d.c"));
    }

    @Test
    void aJobAppendsItsRecordsInOrderAndAwaitReturnsOnceTheyAreIn() {
        MVStore store = new MVStore.Builder().open(); // in memory
        try (DocumentAppender appender = new DocumentAppender("t")) {
            MVMap<String, byte[]> docs = map(store);
            docs.put("a", new byte[] {0});
            String[] ids = new String[500];
            byte[][] records = new byte[500][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = String.format("b%04d", i);
                records[i] = new byte[] {(byte) i};
            }
            DocumentAppender.Job job = appender.start(docs, ids, records);
            assertNotNull(job);
            job.await();
            assertEquals(501, docs.size());
            List<String> keys = new ArrayList<>();
            docs.keyIterator(null).forEachRemaining(keys::add);
            assertEquals("a", keys.get(0));
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i], keys.get(i + 1));
                assertArrayEquals(records[i], docs.get(ids[i]));
            }
        } finally {
            store.close();
        }
    }

    @Test
    void aJobThatFailsReportsItsFailureToTheCommittingThread() {
        MVStore store = new MVStore.Builder().open();
        MVMap<String, byte[]> docs = map(store);
        store.closeImmediately(); // as after a failed commit: every write to the map fails
        try (DocumentAppender appender = new DocumentAppender("t")) {
            DocumentAppender.Job job = appender.start(docs, new String[] {"x"}, new byte[][] {{1}});
            assertThrows(MVStoreException.class, job::await);
        }
    }

    @Test
    void aClosedAppenderTakesNoJob() {
        DocumentAppender appender = new DocumentAppender("t");
        appender.close();
        MVStore store = new MVStore.Builder().open();
        try {
            assertNull(appender.start(map(store), new String[] {"x"}, new byte[][] {{1}}), "the caller appends them itself");
        } finally {
            store.close();
        }
    }
}
