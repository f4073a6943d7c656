package org.blazedb.shell.impl;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Names;
import org.blazedb.api.Store;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.Limits;

/**
 * One run of {@code blaze:import}: the documents of a JSON-lines file written into a collection in
 * batches of {@link BlazeCommands#IMPORT_BATCH} lines, {@link BlazeCommands#IMPORT_IN_FLIGHT} in
 * flight ({@link ImportBatches}). Every line is checked here, before its batch goes to the store
 * (strict JSON, a string {@code "_id"} that the store will take), so that a bad line is reported
 * with its number: a line the store refused would fail its whole batch with no line to name. A
 * line that cannot be read (invalid UTF-8, a read error) is reported the same way.
 */
final class JsonLinesImport {
    private final Store store;
    private final String collection;
    private final Path path;
    private final ImportBatches batches;
    private final int maxLineBytes;
    private long lineNumber;
    /** The first line of the batch being filled: nothing from it on is in the store yet. */
    private long batchStart = 1;

    /**
     * @param store      where the documents go
     * @param collection their collection
     * @param path       the file
     * @param progress   advanced as batches become durable
     */
    JsonLinesImport(Store store, String collection, Path path, Progress progress) {
        this(store, collection, path, progress, BlazeCommands.IMPORT_MAX_LINE_BYTES);
    }

    /** As {@link #JsonLinesImport(Store, String, Path, Progress)}, with another limit on a line's length. */
    JsonLinesImport(Store store, String collection, Path path, Progress progress, int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        this.store = store;
        this.collection = collection;
        this.path = path;
        this.batches = new ImportBatches(store, BlazeCommands.IMPORT_IN_FLIGHT, progress);
    }

    /**
     * @throws BlazeException for a bad line or a failed batch, after the batches in flight before it,
     *                        saying what is imported and durable
     */
    void run() {
        store.collection(collection); // an invalid name fails now rather than in the store's first batch
        try (Utf8Lines in = new Utf8Lines(Files.newInputStream(path), maxLineBytes)) {
            WriteBatch batch = new WriteBatch();
            long submittedBytes = 0;
            for (String line; (line = nextLine(in)) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    add(batch, line);
                } catch (BlazeException e) {
                    throw badLine(e.code(), lineNumber, e.getMessage());
                }
                if (batch.size() == BlazeCommands.IMPORT_BATCH) {
                    batches.submit(batch, in.bytesRead() - submittedBytes);
                    submittedBytes = in.bytesRead();
                    batch = new WriteBatch();
                    batchStart = lineNumber + 1;
                }
            }
            if (batch.size() > 0) {
                batches.submit(batch, in.bytesRead() - submittedBytes);
            }
            batches.finish();
        } catch (IOException e) {
            // opening or closing the file: a failure while reading is a bad line (nextLine)
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot read '" + path.toAbsolutePath() + "': " + e.getMessage(), e);
        }
    }

    private String nextLine(Utf8Lines in) {
        try {
            String line = in.next();
            if (line != null) {
                lineNumber++;
            }
            return line;
        } catch (Utf8Lines.LineTooLongException e) {
            throw badLine(ErrorCode.DOCUMENT_TOO_LARGE, lineNumber + 1, "the line is " + e.getMessage() + ", the longest import reads (a document"
                    + " is limited to " + String.format("%,d", Limits.MAX_DOCUMENT_BYTES) + " bytes in the store): is the file"
                    + " JSON lines, one document per line?");
        } catch (CharacterCodingException e) {
            throw badLine(ErrorCode.INVALID_VALUE, lineNumber + 1, "not valid UTF-8 text (" + e.getMessage()
                    + "): save the file as UTF-8");
        } catch (IOException e) {
            throw badLine(ErrorCode.IO_FAILURE, lineNumber + 1, "cannot read the file: " + e);
        }
    }

    /** @throws BlazeException if the line is not a JSON object with an id the store takes */
    private void add(WriteBatch batch, String line) {
        MapValue doc = JsonLines.parse(line);
        Value id = doc.entries().get(JsonLines.ID_FIELD);
        if (!(id instanceof StringValue sid)) {
            throw new BlazeException(ErrorCode.INVALID_ID, "each object needs a string \"" + JsonLines.ID_FIELD + "\"");
        }
        Names.id(sid.value()); // the store's own check, here so that the error can name the line
        TreeMap<String, Value> fields = new TreeMap<>(doc.entries());
        fields.remove(JsonLines.ID_FIELD);
        batch.put(collection, sid.value(), MapValue.of(fields));
    }

    /**
     * Waits for the batches in flight, then says what the import did before a line it cannot take.
     *
     * @return the error to end the command with
     * @throws RuntimeException a batch's own failure, if one failed first (it says what is durable)
     */
    private BlazeException badLine(ErrorCode code, long line, String problem) {
        long imported = batches.finish();
        return new BlazeException(code, path.getFileName() + " line " + line + ": " + problem + " (" + imported
                + " documents from the lines before line " + batchStart + " are imported and durable; nothing from line "
                + batchStart + " on)");
    }
}
