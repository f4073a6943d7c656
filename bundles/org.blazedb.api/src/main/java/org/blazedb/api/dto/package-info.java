/** Data transfer objects reporting the state of a store. */
@Export
@Version("1.0.0")
package org.blazedb.api.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
