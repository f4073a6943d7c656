package org.blazedb.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the store benchmarks share, the harness ({@link StoreVsSqlite}) and the JMH classes: their
 * scratch folders, the ids of the documents they write, and SQLite's statements.
 */
final class BenchData {
    /** SQLite's write of one document (autocommit, or in a batch's transaction). */
    static final String SQLITE_UPSERT = "INSERT OR REPLACE INTO docs(id, body) VALUES (?, ?)";
    /** SQLite's point read. */
    static final String SQLITE_SELECT = "SELECT body FROM docs WHERE id = ?";

    private BenchData() {
    }

    /**
     * @return a new empty folder under the system property {@code blaze.bench.dir}, else the JVM's
     *         temporary folder (for the JMH benchmarks: on the disk measured)
     */
    static Path createFolder(String prefix) throws IOException {
        String base = System.getProperty("blaze.bench.dir");
        if (base == null) {
            return Files.createTempDirectory(prefix);
        }
        Path dir = Files.createDirectories(Path.of(base));
        return Files.createTempDirectory(dir, prefix);
    }

    /** Deletes a folder and everything in it; nothing if it is null. */
    static void deleteFolder(Path folder) throws IOException {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /** @return the ids {@code doc-00000000} and on, formatted once (formatting costs about as much as a read) */
    static String[] ids(int count) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = String.format(Locale.ROOT, "doc-%08d", i);
        }
        return ids;
    }
}
