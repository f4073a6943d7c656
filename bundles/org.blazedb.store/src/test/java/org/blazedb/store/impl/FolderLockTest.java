package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folder stays locked while a failed commit's recovery has closed the store's file: neither
 * another process nor another store in this JVM can open it then. Before, closing the file released
 * the folder (MVStore's lock on its file was the only one) until the recovery opened it again, or
 * for as long as reopening failed; an opener got in, replayed the failed group from the log (a write
 * reported as failed came back) and checkpointed it into the file.
 */
class FolderLockTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final OpenStores stores = new OpenStores();

    /** Makes the next log sync fail as a full disk does: the write fails and the store recovers. */
    private static void failNextSync(StoreEngine s) {
        AtomicBoolean once = new AtomicBoolean(true);
        s.syncFault = () -> {
            if (once.getAndSet(false)) {
                throw new IOException("No space left on device");
            }
        };
    }

    /** @return how an open of the folder by another store in this JVM ends ("OPENED", or the error's code) */
    private String openHere() {
        try {
            StoreEngine other = StoreEngine.open(StoreOptions.defaults("test", dir));
            boolean failedWriteBack = other.collection("c").get("failed").isPresent();
            other.close();
            return "OPENED" + (failedWriteBack ? ", with the failed write" : "");
        } catch (BlazeException e) {
            return e.code().toString();
        }
    }

    /** @return how an open of the folder by another process ends ("OPENED", or the error's code) */
    private String openInAnotherProcess() throws IOException, InterruptedException {
        return openInAnotherProcess(dir);
    }

    /** @return how an open of {@code folder} by another process ends ("OPENED", or the error's code) */
    private String openInAnotherProcess(Path folder) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OpenAttempt.class.getName(),
                folder.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            fail("the other process did not finish within 60 s");
        }
        return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void theFolderStaysLockedWhileARecoveryReopensTheFile() {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        List<String> opens = new CopyOnWriteArrayList<>();
        s.reopenFault = () -> { // while the recovery has the file closed
            try {
                opens.add(openInAnotherProcess());
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            opens.add(openHere());
        };
        failNextSync(s);
        assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class,
                () -> s.collection("c").put("failed", MapValue.builder().put("v", 2).build())).code());
        assertEquals(List.of("DATA_FOLDER_LOCKED", "DATA_FOLDER_LOCKED"), opens, "another process, then another store here");
        assertEquals(1, s.recoveries);
        assertEquals(Optional.empty(), s.collection("c").get("failed"), "the failed write stays failed");
        assertEquals(Optional.empty(), stores.reopen(s, dir).collection("c").get("failed"));
    }

    /**
     * The folder reached through another path (a symbolic link to it) is the same folder: a second
     * open that way is refused as locked, and leaves the running store's lock in place. Before, the
     * set of folders locked in this JVM knew the folder by the path it was opened with, so the
     * second open went on to the lock file; its channel, closed on the refusal, released this
     * process's OS lock (the lock belongs to the process, and closing any descriptor of the file
     * drops it), and another process could then open the folder while a recovery had it closed.
     */
    @Test
    void anOpenThroughALinkToALockedFolderIsRefusedAndTheLockStays() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), data);
        StoreEngine s = stores.open(data);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());

        BlazeException second = assertThrows(BlazeException.class, () -> StoreEngine.open(StoreOptions.defaults("test", link)));
        assertEquals(ErrorCode.DATA_FOLDER_LOCKED, second.code(), second.getMessage());

        List<String> opens = new CopyOnWriteArrayList<>();
        s.reopenFault = () -> { // while the recovery has the file closed
            try {
                opens.add(openInAnotherProcess(data));
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        };
        failNextSync(s);
        assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class,
                () -> s.collection("c").put("failed", MapValue.builder().put("v", 2).build())).code());
        assertEquals(List.of("DATA_FOLDER_LOCKED"), opens, "another process while the recovery has the file closed");
        assertEquals(Optional.empty(), stores.reopen(s, data).collection("c").get("failed"));
    }

    @Test
    void theFolderStaysLockedWhileReopeningTheFileFails() throws Exception {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        AtomicBoolean reopeningFails = new AtomicBoolean(true);
        s.reopenFault = () -> {
            if (reopeningFails.get()) {
                throw new IOException("Input/output error");
            }
        };
        failNextSync(s);
        assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class,
                () -> s.collection("c").put("failed", MapValue.builder().put("v", 2).build())).code());
        assertEquals(0, s.recoveries, "the store is not open again");
        assertEquals("DATA_FOLDER_LOCKED", openInAnotherProcess());
        assertEquals("DATA_FOLDER_LOCKED", openHere());

        reopeningFails.set(false);
        s.collection("c").put("after", MapValue.builder().put("v", 3).build()); // reopens first
        assertEquals(Optional.empty(), s.collection("c").get("failed"), "the failed write stays failed");
        StoreEngine again = stores.reopen(s, dir);
        assertEquals(Optional.empty(), again.collection("c").get("failed"));
        assertTrue(again.collection("c").get("after").isPresent());
    }
}
