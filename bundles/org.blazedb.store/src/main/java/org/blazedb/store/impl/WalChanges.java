package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * One change, kept by reference until the group is logged: a group committed as a checkpoint
     * instead ({@code StoreEngine}'s large groups) is never serialized.
     */
    private record Change(int tag, Object key, String id, long a, long b, byte[] bytes) {
    }

    private final List<Change> changes = new ArrayList<>();
    private long sequence;
    /** About the serialized size of the changes so far, in bytes. */
    private long estimatedBytes;

    void begin(long sequence) {
        changes.clear();
        this.sequence = sequence;
        estimatedBytes = 0;
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    /** @return about how many bytes {@link #encode} will write (strings counted by characters) */
    long estimatedBytes() {
        return estimatedBytes;
    }

    private void add(Change c, long bytes) {
        changes.add(c);
        estimatedBytes += bytes + 4;
    }

    /**
     * @param out where to write the record payload: the group sequence, then every change in order
     */
    void encode(BlazeWriter out) {
        out.reset();
        out.writeVarLong(sequence);
        for (Change c : changes) {
            out.writeByte(c.tag);
            switch (c.tag) {
                case DOC -> out.writeString((String) c.key).writeString(c.id).writeBytes(c.bytes);
                case LOG -> out.writeVarLong(c.a).writeBytes(c.bytes);
                case ORIGIN -> out.writeNodeId((NodeId) c.key).writeVarLong(c.a).writeVarLong(c.b);
                case INDEX_PUT, INDEX_REMOVE -> {
                    IndexKey key = (IndexKey) c.key;
                    out.writeVarLong(c.a).writeBytes(BlazeBinary.encodeValue(key.value())).writeString(key.id());
                }
                case META, CATALOG, PEER -> out.writeString((String) c.key).writeBytes(c.bytes);
                default -> throw new IllegalStateException("change " + c.tag);
            }
        }
    }

    void document(String collection, String id, byte[] record) {
        add(new Change(DOC, collection, id, 0, 0, record), collection.length() + id.length() + record.length);
    }

    void log(long position, byte[] record) {
        add(new Change(LOG, null, null, position, 0, record), record.length + 8);
    }

    void origin(NodeId node, long sequence, long position) {
        add(new Change(ORIGIN, node, null, sequence, position, null), 30);
    }

    void index(int number, IndexKey key, boolean put) {
        add(new Change(put ? INDEX_PUT : INDEX_REMOVE, key, null, number, 0, null), 32 + key.id().length());
    }

    void meta(String key, byte[] value) {
        add(new Change(META, key, null, 0, 0, value), key.length() + value.length);
    }

    void catalog(String collection, byte[] record) {
        add(new Change(CATALOG, collection, null, 0, 0, record), collection.length() + record.length);
    }

    void peer(String peer, byte[] vector) {
        add(new Change(PEER, peer, null, 0, 0, vector), peer.length() + vector.length);
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
