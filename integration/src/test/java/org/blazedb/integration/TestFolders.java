package org.blazedb.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temporary data folders for stores that run inside the test framework. A store's folder cannot
 * go while its component may still be open, and the components outlive the test method (they end
 * with the framework), so every folder is removed when the test JVM exits.
 */
final class TestFolders {
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestFolders::deleteAll, "delete-test-folders"));
    }

    private TestFolders() {
    }

    /** @return a new empty folder under the system's temporary folder, deleted at JVM exit */
    static Path create(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        CREATED.add(folder);
        return folder;
    }

    private static void deleteAll() {
        for (Path folder : CREATED) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(TestFolders::deleteQuietly);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not delete " + folder + ": " + e);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
