/**
 * The sync API and SPIs: the {@link org.blazedb.api.sync.SyncService}, the
 * {@link org.blazedb.api.sync.Relay} transport SPI, the
 * {@link org.blazedb.api.sync.ConflictResolver} SPI, and the {@link org.blazedb.api.sync.Replica}
 * view of a store that the sync engine drives.
 */
@Export
@Version("1.4.0")
package org.blazedb.api.sync;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
