/**
 * BlazeBinary, the one encoding BlazeDB uses for values, documents, operations and batches of
 * operations (store, operation log and wire), plus JSON conversion for the shell and import/export.
 *
 * <p>Entry points: {@link org.blazedb.codec.BlazeBinary} for whole values, documents, operations and
 * batches; {@link org.blazedb.codec.BlazeWriter} and {@link org.blazedb.codec.BlazeReader} for other
 * bundles' own records and protocol messages; {@link org.blazedb.codec.JsonCodec} for JSON. Every
 * decoder treats its input as hostile and reports a bad input as a
 * {@link org.blazedb.codec.BlazeFormatException}. The byte-level format is specified in
 * {@code docs/format.md}.
 */
@Export
@Version("1.2.0")
package org.blazedb.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
