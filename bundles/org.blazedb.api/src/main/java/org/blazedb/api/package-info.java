/**
 * The BlazeDB store API: the {@link org.blazedb.api.Store} service, its collections and documents,
 * write batches, queries, the operation log, change listening, identifiers and hybrid logical
 * clock stamps, error codes and configuration PIDs.
 */
@Export
@Version("1.4.0")
package org.blazedb.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
