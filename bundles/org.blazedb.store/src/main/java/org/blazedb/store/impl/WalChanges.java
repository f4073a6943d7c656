package org.blazedb.store.impl;

import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;

/**
 * The map changes of one group commit, as a {@link WriteAheadLog} record payload: the group
 * sequence, then a list of changes, each a tag byte and its fields:
 *
 * <pre>
 * 1 document  string collection, string id, bytes document record
 * 2 log       varint position, bytes operation-log record
 * 3 origin    node id, varint sequence, varint log position
 * 4 index +   varint index number, bytes BlazeBinary value, string id
 * 5 index -   varint index number, bytes BlazeBinary value, string id
 * 6 meta      string key, bytes value
 * 7 catalog   string collection, bytes catalog record
 * 8 peer      string peer, bytes vector
 * </pre>
 *
 * Replaying the changes puts the same values under the same keys, so replaying twice is harmless.
 */
final class WalChanges {
    private static final int DOC = 1;
    private static final int LOG = 2;
    private static final int ORIGIN = 3;
    private static final int INDEX_PUT = 4;
    private static final int INDEX_REMOVE = 5;
    private static final int META = 6;
    private static final int CATALOG = 7;
    private static final int PEER = 8;

    private final BlazeWriter out = new BlazeWriter(4096);
    private int count;

    void begin(long sequence) {
        out.reset();
        count = 0;
        out.writeVarLong(sequence);
    }

    boolean isEmpty() {
        return count == 0;
    }

    BlazeWriter writer() {
        return out;
    }

    void document(String collection, String id, byte[] record) {
        count++;
        out.writeByte(DOC).writeString(collection).writeString(id).writeBytes(record);
    }

    void log(long position, byte[] record) {
        count++;
        out.writeByte(LOG).writeVarLong(position).writeBytes(record);
    }

    void origin(NodeId node, long sequence, long position) {
        count++;
        out.writeByte(ORIGIN).writeNodeId(node).writeVarLong(sequence).writeVarLong(position);
    }

    void index(int number, IndexKey key, boolean put) {
        count++;
        out.writeByte(put ? INDEX_PUT : INDEX_REMOVE).writeVarLong(number).writeBytes(BlazeBinary.encodeValue(key.value())).writeString(key.id());
    }

    void meta(String key, byte[] value) {
        count++;
        out.writeByte(META).writeString(key).writeBytes(value);
    }

    void catalog(String collection, byte[] record) {
        count++;
        out.writeByte(CATALOG).writeString(collection).writeBytes(record);
    }

    void peer(String peer, byte[] vector) {
        count++;
        out.writeByte(PEER).writeString(peer).writeBytes(vector);
    }

    /** Replays one record's changes into the maps. */
    static void apply(StoreFiles f, byte[] payload, int offset) {
        BlazeReader r = new BlazeReader(payload, offset, payload.length - offset);
        while (r.remaining() > 0) {
            int tag = r.readByte();
            switch (tag) {
                case DOC -> {
                    String collection = r.readString();
                    String id = r.readString();
                    f.docs(collection, true).put(id, r.readBytes());
                }
                case LOG -> {
                    long position = r.readVarLong();
                    f.log.put(position, r.readBytes());
                }
                case ORIGIN -> {
                    NodeId node = r.readNodeId();
                    long sequence = r.readVarLong();
                    f.origin(node, true).put(sequence, r.readVarLong());
                }
                case INDEX_PUT, INDEX_REMOVE -> {
                    int number = (int) r.readVarLong();
                    Value value = BlazeBinary.decodeValue(r.readBytes());
                    IndexKey key = IndexKey.of(value, r.readString());
                    if (tag == INDEX_PUT) {
                        f.index(number).put(key, new byte[0]);
                    } else {
                        f.index(number).remove(key);
                    }
                }
                case META -> f.meta.put(r.readString(), r.readBytes());
                case CATALOG -> f.catalog.put(r.readString(), r.readBytes());
                case PEER -> f.peers.put(r.readString(), r.readBytes());
                default -> throw new BlazeException(ErrorCode.CORRUPT_DATA, "Unknown change " + tag + " in the write-ahead log");
            }
        }
    }
}
