package org.blazedb.store.impl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A data folder's lock, held by one store from its open to its close: an exclusive lock on the file
 * {@code blaze.lock} in the folder (created if needed, never deleted, empty). MVStore locks its own
 * file too, but only while that file is open, and the store closes and reopens it while it runs: a
 * failed commit's recovery closes the file, then opens it again (and keeps it closed until it can),
 * and a compaction renames a new file over it before opening that. Held across all of that, this
 * lock keeps another process (or another store in this JVM) from opening the folder in between,
 * replaying the log's failed group, and writing the same files.
 */
final class FolderLock implements AutoCloseable {
    static final String FILE_NAME = "blaze.lock";
    /**
     * Folders locked in this JVM, by their real path, checked before the lock file is opened: the
     * OS lock is the process's (fcntl), and closing any descriptor of the file in this process,
     * such as one opened only to find it locked, would release it. The real path, because the
     * folder reached through a symbolic link (or with {@code ..} past one) is the same lock file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /** The folder, absolute and normalised (as the store names it). */
    final Path folder;
    /** The folder's real path: its entry in {@link #HELD}. */
    private final Path key;
    private final FileChannel channel;
    private boolean released;

    private FolderLock(Path folder, Path key, FileChannel channel) {
        this.folder = folder;
        this.key = key;
        this.channel = channel;
    }

    /**
     * Creates the folder if needed and locks it.
     *
     * @param folder the data folder
     * @return its lock; {@link #close()} releases it
     * @throws org.blazedb.api.BlazeException DATA_FOLDER_LOCKED when another process or store holds it,
     *         IO_FAILURE when the folder or its lock file cannot be created
     */
    static FolderLock acquire(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        Path key;
        try {
            Files.createDirectories(f);
            key = f.toRealPath();
        } catch (IOException e) {
            throw StoreErrors.map(e, f, "creating the data folder");
        }
        if (!HELD.add(key)) {
            throw StoreErrors.locked(f, null);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(f.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw StoreErrors.locked(f, null); // another process holds it
            }
            return new FolderLock(f, key, channel);
        } catch (IOException | RuntimeException | Error e) {
            CloseSteps steps = new CloseSteps(e);
            if (channel != null) {
                steps.run(channel::close);
            }
            HELD.remove(key);
            throw StoreErrors.map(e, f, "locking the data folder");
        }
    }

    /** Releases the lock; once only, later calls do nothing. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            throw StoreErrors.map(e, folder, "unlocking the data folder");
        } finally {
            HELD.remove(key);
        }
    }
}
