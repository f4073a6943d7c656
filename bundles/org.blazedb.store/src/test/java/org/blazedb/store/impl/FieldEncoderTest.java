package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Collection;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Mutation;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeWriter;
import org.blazedb.codec.Limits;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldEncoderTest {
    @TempDir
    Path dir;

    private static MapValue doc(int i) {
        return MapValue.builder().put("title", "Document " + i).put("n", i).put("ok", i % 2 == 0).build();
    }

    @Test
    void encodesEachPutsFieldsAsTheRecordsHoldThemAndNothingForOtherWrites() throws Exception {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 300; i++) {
            if (i % 10 == 3) {
                batch.delete("c", "d" + i);
            } else {
                batch.put("c", "d" + i, doc(i));
            }
        }
        List<Mutation> mutations = batch.mutations();
        try (FieldEncoder encoder = new FieldEncoder("test")) {
            FieldEncoder.Job job = encoder.start(mutations);
            // the helper thread fills the slots in order: the last one filled means all are
            Await.until("the helper thread to encode the last put", 30, () -> job.get(299) != null);
            for (int i = 0; i < mutations.size(); i++) {
                if (i % 10 == 3) {
                    assertNull(job.get(i), "a delete has no fields to encode");
                } else {
                    assertArrayEquals(new BlazeWriter(64).writeValue(doc(i)).toByteArray(), job.get(i), "put " + i);
                }
            }
        }
    }

    @Test
    void aLargeBatchIsStoredExactlyAndATooLargeDocumentInItFailsTheWholeBatch() {
        try (StoreEngine s = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            Collection c = s.collection("c");
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 500; i++) {
                batch.put("c", String.format("k%04d", 499 - i), doc(i)); // descending: put, not appended
            }
            List<Document> done = s.write(batch);
            for (int i = 0; i < 500; i++) {
                assertEquals(doc(i), done.get(i).fields());
                assertEquals(doc(i), c.get(String.format("k%04d", 499 - i)).orElseThrow().fields());
            }
            WriteBatch tooLarge = new WriteBatch();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add("z" + i);
                tooLarge.put("c", "z" + i, i == 150 ? MapValue.builder().put("b", "x".repeat(Limits.MAX_DOCUMENT_BYTES)).build() : doc(i));
            }
            BlazeException e = assertThrows(BlazeException.class, () -> s.write(tooLarge));
            assertEquals(ErrorCode.DOCUMENT_TOO_LARGE, e.code());
            assertEquals(500, c.count());
            ids.forEach(id -> assertTrue(c.get(id).isEmpty(), id));
        }
    }
}
