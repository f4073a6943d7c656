package org.blazedb.store.impl;

import static org.blazedb.store.impl.CheckpointFaults.largeBatch;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A close or an open that fails part-way still releases every file it holds: the write-ahead log
 * and the store file are closed (their descriptors are gone), so this process can open the folder
 * again, and nothing acknowledged is lost. Before, a close whose final checkpoint failed, or the
 * close of a store whose recovery had failed, skipped closing the log, and so did an open that
 * failed after the log was opened.
 */
class ReleasedOnCloseTest {
    private static final Path FDS = Path.of("/proc/self/fd");

    @TempDir
    Path dir;

    @RegisterExtension
    final OpenStores stores = new OpenStores();

    @BeforeEach
    void linuxOnly() {
        assumeTrue(Files.isDirectory(FDS), "open descriptors are listed from /proc/self/fd");
    }

    /** @return the files in {@link #dir} this process has a descriptor of */
    private List<String> openInFolder() throws IOException {
        Path folder = dir.toRealPath();
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return null; // closed since it was listed (the listing's own descriptor)
                }
            }).filter(target -> target != null && target.startsWith(folder)).map(target -> folder.relativize(target).toString())
                    .collect(Collectors.toList());
        }
    }

    private void put(StoreEngine s, int n) {
        for (int i = 0; i < n; i++) {
            s.collection("c").put("d" + i, MapValue.builder().put("n", i).build());
        }
    }

    private void assertReopensWith(int n) {
        StoreEngine again = stores.open(dir);
        assertEquals(n, again.collection("c").count());
        assertEquals(n, again.log().lastPosition());
    }

    @Test
    void aCloseWhoseFinalCheckpointFailsReleasesItsFiles() throws IOException {
        StoreEngine s = stores.open(dir);
        s.checkpointNanos = Long.MAX_VALUE; // the writes stay in the log until the close's checkpoint
        put(s, 20);
        assertTrue(openInFolder().contains(WriteAheadLog.FILE_NAME), openInFolder().toString());
        s.fileSyncFault = () -> {
            throw new IOException("Input/output error");
        };
        stores.close(s); // logged, not thrown: nothing acknowledged is lost
        assertEquals(List.of(), openInFolder(), "every file of the store is closed");
        assertReopensWith(20);
    }

    @Test
    void closingAStoreWhoseRecoveryFailedReleasesItsFiles() throws IOException {
        StoreEngine s = stores.open(dir);
        s.checkpointNanos = Long.MAX_VALUE; // the fault is for the large batch's checkpoint, not a timed one
        put(s, 3);
        Path file = dir.resolve(StoreFiles.FILE_NAME);
        Path aside = dir.resolve("file.aside");
        s.fileSyncFault = () -> {
            Files.move(file, aside); // reopening the store file fails while this lasts
            Files.createDirectory(file);
            throw new IOException("No space left on device");
        };
        assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class, () -> s.write(largeBatch())).code());
        s.fileSyncFault = null;
        assertEquals(ErrorCode.IO_FAILURE, assertThrows(BlazeException.class, () -> put(s, 1)).code(), "the store did not reopen");
        stores.close(s);
        assertEquals(List.of(), openInFolder(), "every file of the store is closed");
        Files.delete(file);
        Files.move(aside, file);
        StoreEngine again = stores.open(dir); // (the failed batch's checkpoint is in it too: not this test's subject)
        for (int i = 0; i < 3; i++) {
            assertTrue(again.collection("c").get("d" + i).isPresent(), "d" + i);
        }
    }

    @Test
    void anOpenThatFailsAfterOpeningTheLogReleasesItsFiles() throws IOException {
        StoreEngine s = stores.open(dir);
        put(s, 3);
        stores.close(s);
        try (FolderLock lock = FolderLock.acquire(dir); StoreFiles f = StoreFiles.open(lock, StoreOptions.defaults("test", dir), -1)) {
            f.meta.put("nextIndex", new BlazeWriter(10).writeVarLong(-1L).toByteArray()); // damaged: read after the log is replayed
        }
        assertEquals(ErrorCode.CORRUPT_DATA, assertThrows(BlazeException.class, () -> stores.open(dir)).code());
        assertEquals(List.of(), openInFolder(), "every file of the store is closed");
    }
}
