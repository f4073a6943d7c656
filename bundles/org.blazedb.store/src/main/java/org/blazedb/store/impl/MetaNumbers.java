package org.blazedb.store.impl;

import java.util.Map;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.codec.BlazeReader;

/**
 * Reads the counters the store keeps in its {@code meta} map ({@code nextIndex}, {@code walSeq}:
 * one varint each, docs/format.md section 10) with the range the store writes them in. MVStore
 * does not checksum the bytes of its pages, so a damaged entry reaches us as it is: a varint of
 * 2^63 and up reads as a negative long, and a number cut down to an {@code int} would name another
 * index silently. Anything outside the range is {@link ErrorCode#CORRUPT_DATA}, naming the entry.
 */
final class MetaNumbers {
    private MetaNumbers() {
    }

    /**
     * @param files  the store's file
     * @param key    the meta entry
     * @param absent the number when the entry is missing
     * @param min    the smallest number the store writes there
     * @param max    the largest
     * @return the number
     * @throws BlazeException CORRUPT_DATA when the entry is not one varint from {@code min} to {@code max}
     */
    static long read(StoreFiles files, String key, long absent, long min, long max) {
        byte[] bytes = files.meta.get(key);
        if (bytes == null) {
            return absent;
        }
        long n;
        try {
            BlazeReader r = new BlazeReader(bytes);
            n = r.readVarLong();
            r.expectEnd();
        } catch (BlazeException e) {
            throw StoreErrors.readFromDisk(e, "The meta entry '" + key + "' of the store file in " + files.folder);
        }
        if (n < min || n > max) { // unsigned on disk: 2^63 and up read as negative
            throw corrupt(files, "its meta entry '" + key + "' holds " + Long.toUnsignedString(n) + ", outside " + min + " to " + max);
        }
        return n;
    }

    /**
     * Index numbers are given out from {@code meta.nextIndex} up and never again, so every index in
     * the catalog has a smaller one. A smaller {@code nextIndex} would give the next index created
     * the map of an existing one, and both fields' entries would mix.
     *
     * @param next    {@code meta.nextIndex} as read
     * @param catalog the catalog, by collection
     * @throws BlazeException CORRUPT_DATA naming the index when one has a number at or above {@code next}
     */
    static void checkIndexNumbers(StoreFiles files, long next, Map<String, CollectionInfo> catalog) {
        for (Map.Entry<String, CollectionInfo> c : catalog.entrySet()) {
            for (Map.Entry<String, Integer> index : c.getValue().indexes().entrySet()) {
                if (index.getValue() >= next) {
                    throw corrupt(files, "its meta entry 'nextIndex' holds " + next + ", not above the number " + index.getValue()
                            + " of the index on '" + index.getKey() + "' of collection '" + c.getKey() + "'");
                }
            }
        }
    }

    private static BlazeException corrupt(StoreFiles files, String problem) {
        return new BlazeException(ErrorCode.CORRUPT_DATA, "The store file in " + files.folder + " is corrupt: " + problem
                + "; " + StoreErrors.DAMAGED_ADVICE);
    }
}
