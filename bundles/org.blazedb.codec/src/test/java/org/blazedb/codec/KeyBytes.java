package org.blazedb.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/** Builders of encoded map keys and of maps, for the tests of the key cache and key sequences. */
final class KeyBytes {
    private KeyBytes() {
    }

    /** @return a map of the given keys (Strings) and values (Values), alternating */
    static MapValue map(Object... keysAndValues) {
        TreeMap<String, Value> m = new TreeMap<>(Value.KEY_ORDER);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (Value) keysAndValues[i + 1]);
        }
        return MapValue.of(m);
    }

    /** A new key of up to 31 characters as written in full: packed if it can be, else UTF-8. */
    static byte[] fullKey(String key) {
        if (PackedKeys.packable(key)) {
            byte[] out = new byte[1 + PackedKeys.packedLength(key.length())];
            out[0] = (byte) (key.length() << 2 | 2);
            PackedKeys.pack(key, out, 1);
            return out;
        }
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) (b.length << 2);
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    /** @return the parts in order: byte arrays as they are, Integers as one byte each */
    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }
}
