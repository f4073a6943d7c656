package org.blazedb.store.impl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.blazedb.codec.BlazeBinary;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/** {@link IndexKey}s as MVStore keys: the BlazeBinary value (length-prefixed), then the UTF-8 id. */
final class IndexKeyType extends BasicDataType<IndexKey> {
    static final IndexKeyType INSTANCE = new IndexKeyType();

    private IndexKeyType() {
    }

    @Override
    public int compare(IndexKey a, IndexKey b) {
        return a.compareTo(b);
    }

    @Override
    public int getMemory(IndexKey k) {
        return 64 + 2 * k.id().length();
    }

    @Override
    public void write(WriteBuffer buff, IndexKey k) {
        byte[] value = BlazeBinary.encodeValue(k.value());
        byte[] id = k.id().getBytes(StandardCharsets.UTF_8);
        buff.putVarInt(value.length).put(value).putVarInt(id.length).put(id);
    }

    @Override
    public IndexKey read(ByteBuffer buff) {
        byte[] value = KeyParts.read(buff, "index entry's value");
        String id = KeyParts.utf8(KeyParts.read(buff, "index entry's document id"), "index entry's document id");
        return IndexKey.of(KeyParts.value(value, "index entry's value"), id);
    }

    @Override
    public IndexKey[] createStorage(int size) {
        return new IndexKey[size];
    }
}
