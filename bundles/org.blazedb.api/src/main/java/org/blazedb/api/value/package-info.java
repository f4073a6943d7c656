/**
 * The typed values a BlazeDB document holds: null, boolean, int64, float64, string, bytes,
 * timestamp, UUID, list and map. Values are immutable and compare by content.
 */
@Export
@Version("1.3.0")
package org.blazedb.api.value;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
