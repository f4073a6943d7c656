package org.blazedb.store.impl;

import java.io.IOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/** Turns storage-engine failures into {@link BlazeException}s that say what to do. */
final class StoreErrors {
    /** What to do about data the store found damaged, for the end of every CORRUPT_DATA message. */
    static final String DAMAGED_ADVICE = "restore the data folder from a backup or re-sync this replica from a peer";

    private StoreErrors() {
    }

    /** @param t a failure @param folder the data folder @param action what was being done @return the exception to throw */
    static BlazeException map(Throwable t, Path folder, String action) {
        if (t instanceof BlazeException b) {
            return b;
        }
        if (isDiskFull(t)) {
            return diskFull(folder, t);
        }
        if (t instanceof OverlappingFileLockException || (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_FILE_LOCKED)) {
            return locked(folder, t);
        }
        if (t instanceof MVStoreException m) {
            switch (m.getErrorCode()) {
                case DataUtils.ERROR_UNSUPPORTED_FORMAT:
                    return tooNew(folder, "its storage engine format", t);
                case DataUtils.ERROR_FILE_CORRUPT:
                case DataUtils.ERROR_CHUNK_NOT_FOUND:
                case DataUtils.ERROR_BLOCK_NOT_FOUND:
                    return new BlazeException(ErrorCode.CORRUPT_DATA, "The data in " + folder + " failed its integrity checks while "
                            + action + ": " + DAMAGED_ADVICE, t);
                case DataUtils.ERROR_CLOSED:
                    return new BlazeException(ErrorCode.STORE_CLOSED, "The store in " + folder + " is closed", t);
                default:
                    break;
            }
        }
        return new BlazeException(ErrorCode.IO_FAILURE, "Reading or writing " + folder + " failed while " + action + ": "
                + t.getMessage() + "; check the folder's permissions and the disk", t);
    }

    /**
     * @param e    what the codec found wrong with bytes the store read from its own files
     * @param what the record, for the message
     * @return {@code e} as {@link ErrorCode#CORRUPT_DATA} if the codec called the bytes malformed or
     *         over one of its limits: from a peer that means a bad sender, from the store's own file
     *         a damaged one
     */
    static BlazeException readFromDisk(BlazeException e, String what) {
        // LIMIT_EXCEEDED too: a length or count over a codec limit in the store's own bytes is damage, not a peer's excess
        if (e.code() != ErrorCode.MALFORMED_DATA && e.code() != ErrorCode.LIMIT_EXCEEDED) {
            return e;
        }
        return new BlazeException(ErrorCode.CORRUPT_DATA, what + " is damaged (" + e.getMessage()
                + "): " + DAMAGED_ADVICE, e);
    }

    static BlazeException diskFull(Path folder, Throwable cause) {
        return new BlazeException(ErrorCode.DISK_FULL, "The disk holding " + folder
                + " is full: the write was not applied. Free some space and retry", cause);
    }

    static BlazeException locked(Path folder, Throwable cause) {
        return new BlazeException(ErrorCode.DATA_FOLDER_LOCKED, "The data folder " + folder
                + " is in use by another BlazeDB store (its file is locked): stop that process or store, or configure another data folder", cause);
    }

    static BlazeException tooNew(Path folder, String what, Throwable cause) {
        return new BlazeException(ErrorCode.FORMAT_TOO_NEW, "The data folder " + folder + " was written by a newer BlazeDB ("
                + what + " is newer than this version reads): upgrade BlazeDB, or open another folder", cause);
    }

    /**
     * A folder of an earlier, unreleased format: its records hold values this version would misread,
     * so it is refused before anything is read or written; the message says what to do.
     */
    static BlazeException tooOld(Path folder, long version, int oldest, int current) {
        return new BlazeException(ErrorCode.FORMAT_TOO_OLD, "The data folder " + folder + " is in store format " + version
                + ", written by an earlier BlazeDB 0.2.0-SNAPSHOT build; this version reads store formats " + oldest + " to " + current
                + " (values in BlazeBinary 2). Nothing was changed: export the documents with the build that wrote"
                + " the folder (blaze:export) and import them into a new folder with this one", null);
    }

    private static boolean isDiskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (c instanceof IOException && m != null && (m.contains("No space left") || m.contains("Disk quota") || m.contains("not enough space"))) {
                return true;
            }
        }
        return false;
    }
}
