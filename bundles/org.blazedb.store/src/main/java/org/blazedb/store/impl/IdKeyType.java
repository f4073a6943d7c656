package org.blazedb.store.impl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.blazedb.api.value.Value;
import org.h2.mvstore.DataUtils;
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
        int n = DataUtils.readVarInt(buff);
        byte[] utf8 = new byte[n];
        buff.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public String[] createStorage(int size) {
        return new String[size];
    }
}
