package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A short, seeded run of {@link DecoderFuzzer} on every build. {@code -Dblazedb.fuzz.iterations=N}
 * and {@code -Dblazedb.fuzz.seed=S} make it a long run (docs/format.md).
 */
class DecoderFuzzTest {
    @Test
    void mutatedInputsAreRejectedOrDecodedCanonically() {
        long iterations = Long.getLong("blazedb.fuzz.iterations", 30_000);
        long seed = Long.getLong("blazedb.fuzz.seed", 20261125);
        DecoderFuzzer fuzzer = new DecoderFuzzer(seed);
        fuzzer.run(iterations);
        System.out.printf("DecoderFuzzTest: %d inputs (seed %d): %d decodes accepted, %d rejected with BlazeFormatException%n",
                iterations, seed, fuzzer.accepted, fuzzer.rejected);
        assertTrue(fuzzer.rejected > 0 && fuzzer.accepted > 0, "the mutations reach both outcomes");
    }
}
