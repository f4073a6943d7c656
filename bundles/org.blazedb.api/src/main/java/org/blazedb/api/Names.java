package org.blazedb.api;

import java.nio.charset.StandardCharsets;

/**
 * The rules for collection names and document ids (see {@link Collection}): the store checks every
 * write and every received operation with them, and a tool can check its input the same way before
 * it reaches the store (an import naming the line of a bad id, say).
 *
 * @since 1.4
 */
public final class Names {
    /** The longest collection name, in characters. */
    public static final int MAX_COLLECTION_NAME = 128;
    /** The longest document id, in UTF-8 bytes. */
    public static final int MAX_ID_BYTES = 512;

    private Names() {
    }

    /**
     * @param name a collection name
     * @return {@code name}
     * @throws BlazeException {@link ErrorCode#INVALID_COLLECTION} unless it is 1 to
     *                        {@value #MAX_COLLECTION_NAME} characters of {@code [A-Za-z0-9_.-]}
     */
    public static String collection(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_COLLECTION_NAME || !allAllowed(name)) {
            throw new BlazeException(ErrorCode.INVALID_COLLECTION, "Invalid collection name '" + name
                    + "': use 1 to " + MAX_COLLECTION_NAME + " characters of A-Z a-z 0-9 _ . -");
        }
        return name;
    }

    /**
     * @param id a document id
     * @return {@code id}
     * @throws BlazeException {@link ErrorCode#INVALID_ID} unless it is 1 to {@value #MAX_ID_BYTES}
     *                        bytes of UTF-8 (valid Unicode text: no lone surrogate)
     */
    public static String id(String id) {
        if (id == null || id.isEmpty()) {
            throw new BlazeException(ErrorCode.INVALID_ID, "A document id cannot be empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new BlazeException(ErrorCode.INVALID_ID, "Document id '" + id + "' is not valid Unicode text (lone surrogate at " + i + ")");
            }
        }
        // at most 3 UTF-8 bytes per UTF-16 unit: only long ids need counting
        int bytes = id.length() * 3 <= MAX_ID_BYTES ? 0 : id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ID_BYTES) {
            throw new BlazeException(ErrorCode.INVALID_ID, "Document id of " + bytes + " bytes is longer than the limit of "
                    + MAX_ID_BYTES + " UTF-8 bytes: use a shorter id");
        }
        return id;
    }

    /** A plain loop: this runs for every operation written or applied. */
    private static boolean allAllowed(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!allowed(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }
}
