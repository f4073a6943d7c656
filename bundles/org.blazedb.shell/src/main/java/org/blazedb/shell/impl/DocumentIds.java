package org.blazedb.shell.impl;

import java.nio.charset.StandardCharsets;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * The store's rules for document ids, as {@link org.blazedb.api.Collection} documents them: 1 to
 * {@value #MAX_ID_BYTES} bytes of UTF-8, so no lone surrogate. The store checks them when it stages
 * a write; {@code import} checks each line's id itself, because the store's check fails a whole
 * batch of up to 1,000 lines and cannot say which line was wrong. (The store's own check is
 * internal to its bundle; the API has no public one to call.)
 */
final class DocumentIds {
    /** The longest document id, in UTF-8 bytes ({@code Names.MAX_ID_BYTES} in the store). */
    static final int MAX_ID_BYTES = 512;

    private DocumentIds() {
    }

    /**
     * @param id a document id
     * @throws BlazeException ({@link ErrorCode#INVALID_ID}) saying which rule it breaks
     */
    static void check(String id) {
        if (id.isEmpty()) {
            throw new BlazeException(ErrorCode.INVALID_ID, "the document id \"_id\" is empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new BlazeException(ErrorCode.INVALID_ID, "the document id \"_id\" is not valid Unicode text (a lone surrogate,"
                        + " \\u" + Integer.toHexString(c) + ", at character " + i + ")");
            }
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ID_BYTES) {
            throw new BlazeException(ErrorCode.INVALID_ID, "the document id \"_id\" has " + bytes + " bytes of UTF-8; the limit is "
                    + MAX_ID_BYTES + ": use a shorter id");
        }
    }
}
