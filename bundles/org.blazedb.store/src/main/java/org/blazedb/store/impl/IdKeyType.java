package org.blazedb.store.impl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.blazedb.api.value.Value;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * Document ids as MVStore keys: a varint byte length and the UTF-8 bytes, ordered by code point
 * ({@link Value#KEY_ORDER}, the order of UTF-8 bytes), which is the "id order" of scans.
 */
final class IdKeyType extends BasicDataType<String> {
    static final IdKeyType INSTANCE = new IdKeyType();

    private IdKeyType() {
    }

    @Override
    public int compare(String a, String b) {
        // UTF-16 order equals code point order unless the first difference involves a surrogate.
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Value.KEY_ORDER.compare(a.substring(i), b.substring(i));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /**
     * The B-tree's search within one page. When the id searched for has no character from U+D800
     * up, {@link String#compareTo} (UTF-16 order, an intrinsic) equals code point order against any
     * valid id: at the first difference the searched character is below every surrogate, so a
     * surrogate pair on the other side (U+10000 and up) sorts after it either way. Ids are almost
     * always such text, and this comparison is the largest cost of a point read's descent.
     */
    @Override
    public int binarySearch(String key, Object storage, int size, int initialGuess) {
        if (!belowSurrogates(key)) {
            return super.binarySearch(key, storage, size, initialGuess);
        }
        String[] keys = cast(storage);
        int low = 0;
        int high = size - 1;
        int x = initialGuess - 1; // MVStore's hint: where the last search of this page ended
        if (x < 0 || x > high) {
            x = high >>> 1;
        }
        while (low <= high) {
            int c = key.compareTo(keys[x]);
            if (c > 0) {
                low = x + 1;
            } else if (c < 0) {
                high = x - 1;
            } else {
                return x;
            }
            x = (low + high) >>> 1;
        }
        return ~low;
    }

    private static boolean belowSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= Character.MIN_SURROGATE) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int getMemory(String s) {
        return 24 + 2 * s.length();
    }

    @Override
    public void write(WriteBuffer buff, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        buff.putVarInt(utf8.length).put(utf8);
    }

    @Override
    public String read(ByteBuffer buff) {
        return KeyParts.utf8(KeyParts.read(buff, "document id"), "document id");
    }

    @Override
    public String[] createStorage(int size) {
        return new String[size];
    }
}
