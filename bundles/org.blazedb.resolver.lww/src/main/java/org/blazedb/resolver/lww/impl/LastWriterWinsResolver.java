package org.blazedb.resolver.lww.impl;

import org.blazedb.api.Pids;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.Resolution;
import org.osgi.service.component.annotations.Component;

/**
 * The default conflict resolver: the version whose last write carries the later hybrid logical
 * clock stamp wins whole, deletes included (a tombstone stamped later than a concurrent update
 * wins; an update stamped later than a concurrent delete re-creates the document). Stamps are
 * totally ordered (wall time, counter, node id), so every replica picks the same winner whatever
 * order it sees the two versions in. On equal stamps the incoming version is kept (see below).
 *
 * <p>Ranked 0: a higher-ranked resolver such as {@code merge} takes over while it runs, and this
 * one takes back over when it stops.
 */
@Component(configurationPid = Pids.RESOLVER_LWW,
        property = {ConflictResolver.NAME + "=" + LastWriterWinsResolver.NAME, "service.ranking:Integer=0"})
public class LastWriterWinsResolver implements ConflictResolver {
    /** The value of {@link ConflictResolver#NAME} this resolver registers with. */
    public static final String NAME = "lww";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Resolution resolve(Conflict conflict) {
        DocumentVersion local = conflict.local();
        DocumentVersion incoming = conflict.incoming();
        // Ties go to the incoming side: equal stamps mean the store's incoming version already
        // contains the local one's last write (a store that merges in clock order presents an older
        // operation's result stamped with the local stamp), so keeping it loses nothing.
        boolean incomingWins = !local.stamp().isAfter(incoming.stamp());
        DocumentVersion winner = incomingWins ? incoming : local;
        DocumentVersion loser = incomingWins ? local : incoming;
        return new Resolution(winner, "last writer wins: " + describe(winner) + " at " + winner.stamp()
                + " is later than " + describe(loser) + " at " + loser.stamp());
    }

    private static String describe(DocumentVersion version) {
        return version.deleted() ? "delete" : "write";
    }
}
