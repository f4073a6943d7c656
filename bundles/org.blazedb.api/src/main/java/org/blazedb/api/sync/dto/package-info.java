/** Data transfer objects reporting sync status and conflict resolutions. */
@Export
@Version("1.1.0")
package org.blazedb.api.sync.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
