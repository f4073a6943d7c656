package org.blazedb.codec;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The LZ4 implementation batches use: the native (JNI) one when its library loads on this
 * platform, the pure-Java one otherwise. Each reads the other's blocks, so the choice never changes
 * the format (though the compressed bytes may differ, which is why only uncompressed batches are
 * canonical). The system property {@code blazedb.lz4=java} forces the pure-Java implementation
 * (benchmarks compare both). Decompression always uses the <em>safe</em> decompressor, which
 * checks its input, because batches arrive from the network.
 */
final class Lz4 {
    static final LZ4Factory FACTORY;
    /** Which implementation is used, and why when it is not the native one. */
    static final String DESCRIPTION;
    static final LZ4Compressor COMPRESSOR;
    static final LZ4SafeDecompressor DECOMPRESSOR;

    static {
        LZ4Factory factory = null;
        String description;
        if ("java".equals(System.getProperty("blazedb.lz4"))) {
            description = "java (forced by -Dblazedb.lz4=java)";
        } else {
            try {
                factory = LZ4Factory.nativeInstance();
                description = "native";
            } catch (Throwable e) { // an UnsatisfiedLinkError, or an initializer error wrapping one
                description = "java (native library unavailable: " + e + ")";
            }
        }
        FACTORY = factory != null ? factory : LZ4Factory.fastestJavaInstance();
        DESCRIPTION = description;
        COMPRESSOR = FACTORY.fastCompressor();
        DECOMPRESSOR = FACTORY.safeDecompressor();
    }

    private Lz4() {
    }
}
