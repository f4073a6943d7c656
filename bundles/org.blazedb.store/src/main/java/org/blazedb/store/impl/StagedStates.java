package org.blazedb.store.impl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The document states one local write has staged in one collection, by id, and the greatest id of
 * the collection's map or staged so far. Documents appended (ids each greater than every id before
 * them, see {@link StoreEngine#writeDocument}) are kept in arrays in id order and found by binary
 * search: an import stages thousands of them, and a hash map made a node per document (and grew
 * its table) only for the rare batch that writes one id twice. Other ids go to a hash map, which
 * is looked at first (a later write of an appended id is staged there).
 */
final class StagedStates {
    private String[] appendedIds;
    private DocState[] appendedStates;
    private int appended;
    private Map<String, DocState> others;
    /** The greatest id in the collection's map or staged by this write so far. */
    private String last;

    /**
     * @param greatest the greatest id in the collection's map, "" when it holds none
     * @param capacity how many states the write may stage here (the write's size)
     */
    StagedStates(String greatest, int capacity) {
        this.last = greatest;
        this.appendedIds = new String[Math.max(1, capacity)];
        this.appendedStates = new DocState[appendedIds.length];
    }

    /** @return whether {@code id} is greater than every id of the map and staged here: it can be appended */
    boolean appends(String id) {
        return IdKeyType.INSTANCE.compare(id, last) > 0;
    }

    /** @return the state staged for {@code id}, or null */
    DocState get(String id) {
        if (others != null) {
            DocState s = others.get(id);
            if (s != null) {
                return s;
            }
        }
        int at = Arrays.binarySearch(appendedIds, 0, appended, id, IdKeyType.INSTANCE); // kept in id order
        return at >= 0 ? appendedStates[at] : null;
    }

    /**
     * @param id       the document
     * @param state    its staged state
     * @param appended whether {@link #appends} said so for {@code id} (it then becomes the last id)
     */
    void put(String id, DocState state, boolean appended) {
        if (appended) {
            if (this.appended == appendedIds.length) {
                appendedIds = Arrays.copyOf(appendedIds, this.appended * 2);
                appendedStates = Arrays.copyOf(appendedStates, this.appended * 2);
            }
            appendedIds[this.appended] = id;
            appendedStates[this.appended++] = state;
            last = id;
        } else {
            if (others == null) {
                others = new HashMap<>();
            }
            others.put(id, state);
        }
    }
}
