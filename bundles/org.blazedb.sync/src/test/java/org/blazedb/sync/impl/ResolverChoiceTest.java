package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which running resolver an engine uses, given its configured name and the resolvers' ranking. */
class ResolverChoiceTest {
    private static final Map.Entry<String, String> MERGE = Map.entry("merge", "merge");
    private static final Map.Entry<String, String> LWW = Map.entry("lww", "lww");
    private static final Map.Entry<String, String> CUSTOM = Map.entry("custom", "custom");

    @Test
    void withoutAConfiguredNameTheHighestRankedDecides() {
        assertEquals("merge", SyncComponent.choose("", List.of(MERGE, LWW)));
        assertEquals("lww", SyncComponent.choose("", List.of(LWW)));
        assertNull(SyncComponent.choose("", List.of()));
    }

    @Test
    void theConfiguredResolverDecidesWhileItRunsWhateverItsRanking() {
        assertEquals("lww", SyncComponent.choose("lww", List.of(MERGE, LWW)));
        assertEquals("merge", SyncComponent.choose("merge", List.of(CUSTOM, MERGE, LWW)));
    }

    @Test
    void aConfiguredNodeNeverFallsToAHigherRankedResolverOnlyToLww() {
        // start-up: the node is configured for lww, merge's bundle came up first
        assertNull(SyncComponent.choose("lww", List.of(MERGE)));
        // the configured merge bundle stopped: the default, not the next in ranking
        assertEquals("lww", SyncComponent.choose("merge", List.of(CUSTOM, LWW)));
        assertNull(SyncComponent.choose("merge", List.of(CUSTOM)));
    }
}
