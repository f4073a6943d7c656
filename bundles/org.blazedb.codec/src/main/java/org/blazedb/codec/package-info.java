/**
 * BlazeBinary, the binary encoding of BlazeDB values, documents and operations, and the JSON
 * conversion of values.
 */
@Export
@Version("0.1.0")
package org.blazedb.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
