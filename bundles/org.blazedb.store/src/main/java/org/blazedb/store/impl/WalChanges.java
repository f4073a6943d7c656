package org.blazedb.store.impl;

import java.util.Arrays;
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

    /** The capacity a group's arrays start with, and fall back to after a group that grew them past {@link #KEEP}. */
    private static final int INITIAL = 256;
    /** The largest capacity kept from one group to the next (bounds what an idle store holds on to). */
    private static final int KEEP = 1 << 16;

    // The changes, kept by reference until the group is logged (a group committed as a checkpoint
    // instead, StoreEngine's large groups, is never serialized): change i is tags[i] with the
    // fields its tag uses. Parallel arrays reused from group to group rather than an object per
    // change: an import made three per document, a sixth of its garbage.
    private byte[] tags = new byte[INITIAL];
    private Object[] keys = new Object[INITIAL];
    private String[] ids = new String[INITIAL];
    private long[] as = new long[INITIAL];
    private long[] bs = new long[INITIAL];
    private byte[][] values = new byte[INITIAL][];
    private int size;
    private long sequence;
    /** About the serialized size of the changes so far, in bytes. */
    private long estimatedBytes;

    void begin(long sequence) {
        if (tags.length > KEEP) {
            allocate(INITIAL);
        } else {
            // let the last group's records and keys go
            Arrays.fill(keys, 0, size, null);
            Arrays.fill(ids, 0, size, null);
            Arrays.fill(values, 0, size, null);
        }
        size = 0;
        this.sequence = sequence;
        estimatedBytes = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return about how many bytes {@link #encode} will write (strings counted by characters) */
    long estimatedBytes() {
        return estimatedBytes;
    }

    private void allocate(int capacity) {
        tags = new byte[capacity];
        keys = new Object[capacity];
        ids = new String[capacity];
        as = new long[capacity];
        bs = new long[capacity];
        values = new byte[capacity][];
    }

    private void add(int tag, Object key, String id, long a, long b, byte[] value, long bytes) {
        if (size == tags.length) {
            int capacity = size * 2;
            tags = Arrays.copyOf(tags, capacity);
            keys = Arrays.copyOf(keys, capacity);
            ids = Arrays.copyOf(ids, capacity);
            as = Arrays.copyOf(as, capacity);
            bs = Arrays.copyOf(bs, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        tags[size] = (byte) tag;
        keys[size] = key;
        ids[size] = id;
        as[size] = a;
        bs[size] = b;
        values[size] = value;
        size++;
        estimatedBytes += bytes + 4;
    }

    /**
     * @param out where to write the record payload: the group sequence, then every change in order
     */
    void encode(BlazeWriter out) {
        out.reset();
        out.writeVarLong(sequence);
        for (int i = 0; i < size; i++) {
            int tag = tags[i];
            out.writeByte(tag);
            switch (tag) {
                case DOC -> out.writeString((String) keys[i]).writeString(ids[i]).writeBytes(values[i]);
                case LOG -> out.writeVarLong(as[i]).writeBytes(values[i]);
                case ORIGIN -> out.writeNodeId((NodeId) keys[i]).writeVarLong(as[i]).writeVarLong(bs[i]);
                case INDEX_PUT, INDEX_REMOVE -> {
                    IndexKey key = (IndexKey) keys[i];
                    out.writeVarLong(as[i]).writeBytes(BlazeBinary.encodeValue(key.value())).writeString(key.id());
                }
                case META, CATALOG, PEER -> out.writeString((String) keys[i]).writeBytes(values[i]);
                default -> throw new IllegalStateException("change " + tag);
            }
        }
    }

    void document(String collection, String id, byte[] record) {
        add(DOC, collection, id, 0, 0, record, collection.length() + id.length() + record.length);
    }

    void log(long position, byte[] record) {
        add(LOG, null, null, position, 0, record, record.length + 8);
    }

    void origin(NodeId node, long sequence, long position) {
        add(ORIGIN, node, null, sequence, position, null, 30);
    }

    void index(int number, IndexKey key, boolean put) {
        add(put ? INDEX_PUT : INDEX_REMOVE, key, null, number, 0, null, 32 + key.id().length());
    }

    void meta(String key, byte[] value) {
        add(META, key, null, 0, 0, value, key.length() + value.length);
    }

    void catalog(String collection, byte[] record) {
        add(CATALOG, collection, null, 0, 0, record, collection.length() + record.length);
    }

    void peer(String peer, byte[] vector) {
        add(PEER, peer, null, 0, 0, vector, peer.length() + vector.length);
    }

    /**
     * Replays one record's changes into the maps. The record's CRC matched, but a file can be
     * damaged before its CRC was computed, or written by someone else: what it holds is checked.
     *
     * @throws BlazeException CORRUPT_DATA naming the record's group when a change is malformed or
     *         out of range (an index number outside 1..{@link StoreEngine#MAX_INDEX_NUMBER})
     */
    static void apply(StoreFiles f, byte[] payload, int offset) {
        try {
            applyChanges(f, payload, offset);
        } catch (BlazeException e) { // the codec's MALFORMED_DATA: here it means a damaged file
            throw StoreErrors.readFromDisk(e, record(f, payload));
        }
    }

    private static void applyChanges(StoreFiles f, byte[] payload, int offset) {
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
                    int number = indexNumber(f, payload, r.readVarLong());
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

    /** @return {@code n}, an index number read from a record, if the store could have given it out */
    private static int indexNumber(StoreFiles f, byte[] payload, long n) {
        if (n < 1 || n > StoreEngine.MAX_INDEX_NUMBER) { // unsigned on disk: 2^63 and up read as negative
            // cut down to an int, it would name another index, or a map that never existed
            throw new BlazeException(ErrorCode.CORRUPT_DATA, record(f, payload) + " is corrupt: its index number "
                    + Long.toUnsignedString(n) + " is outside 1 to " + StoreEngine.MAX_INDEX_NUMBER
                    + "; " + StoreErrors.DAMAGED_ADVICE);
        }
        return (int) n;
    }

    /** @return the record, for messages: its group sequence (the payload's first varint, read by the log) and its file */
    private static String record(StoreFiles f, byte[] payload) {
        return "The write-ahead log record of group " + new BlazeReader(payload).readVarLong() + " in "
                + f.folder.resolve(WriteAheadLog.FILE_NAME);
    }
}
