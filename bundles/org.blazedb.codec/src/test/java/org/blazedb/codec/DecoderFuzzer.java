package org.blazedb.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.blazedb.api.Operation;
import org.blazedb.api.value.Value;

/**
 * A seeded mutation fuzzer for the BlazeBinary decoders. It encodes random values, documents,
 * operations and batches, mutates the bytes (bit flips, interesting bytes, insertions, deletions,
 * truncations, spliced chunks, huge varints), and feeds each input to every decoder. The only
 * acceptable outcomes are a {@link BlazeFormatException}, or a successful decode whose result
 * re-encodes to exactly the input (values and operations: the decoder accepts canonical bytes only)
 * or to an equal batch. Anything else (another exception, an error) is a finding.
 *
 * <p>Short runs happen in {@code DecoderFuzzTest}; long runs: see docs/format.md, or
 * {@code java -cp ... org.blazedb.codec.DecoderFuzzer <iterations> <seed>}.
 */
final class DecoderFuzzer {
    private static final byte[] INTERESTING = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFF, 0x0B, 0x0C, (byte) 0xC1, (byte) 0xD1, 0x13, 0x11, 0x12, 0x40};

    private final Random random;
    private final List<byte[]> seeds = new ArrayList<>();
    long accepted;
    long rejected;

    DecoderFuzzer(long seed) {
        random = new Random(seed);
        RandomValues values = new RandomValues(seed);
        for (int i = 0; i < 40; i++) {
            seeds.add(BlazeBinary.encodeValue(values.value(3)));
            seeds.add(BlazeBinary.encodeDocument(values.map(3)));
            seeds.add(BlazeBinary.encodeOperation(values.operation()));
        }
        for (int i = 0; i < 8; i++) {
            seeds.add(BlazeBinary.encodeBatch(values.operations(1 + i * 3), i % 2 == 0));
        }
    }

    /** Runs {@code iterations} mutated inputs; throws AssertionError with the input on a finding. */
    void run(long iterations) {
        for (long i = 0; i < iterations; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())));
            check(input);
        }
    }

    byte[] mutate(byte[] seed) {
        byte[] b = seed.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            int op = random.nextInt(8);
            if (b.length == 0) {
                op = 3;
            }
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (op) {
                case 0:
                    b[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1:
                    b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    break;
                case 2:
                    b[at] = (byte) random.nextInt(256);
                    break;
                case 3: {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                    break;
                }
                case 4: {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                    break;
                }
                case 5:
                    b = Arrays.copyOf(b, at);
                    break;
                case 6: {
                    // splice a chunk of another seed in
                    byte[] other = seeds.get(random.nextInt(seeds.size()));
                    int from = random.nextInt(other.length);
                    int len = Math.min(1 + random.nextInt(16), other.length - from);
                    byte[] spliced = new byte[b.length + len];
                    System.arraycopy(b, 0, spliced, 0, at);
                    System.arraycopy(other, from, spliced, at, len);
                    System.arraycopy(b, at, spliced, at + len, b.length - at);
                    b = spliced;
                    break;
                }
                default: {
                    // a huge or maximal varint where a length might be
                    byte[] varint = random.nextBoolean()
                            ? new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}
                            : new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
                    int len = Math.min(varint.length, b.length - at);
                    System.arraycopy(varint, 0, b, at, len);
                    break;
                }
            }
        }
        return b;
    }

    void check(byte[] input) {
        try {
            Value v = BlazeBinary.decodeValue(input);
            expectSame(input, BlazeBinary.encodeValue(v), "value");
            accepted++;
        } catch (BlazeFormatException e) {
            rejected++;
        } catch (RuntimeException | Error e) {
            throw finding(input, "decodeValue", e);
        }
        try {
            Operation op = BlazeBinary.decodeOperation(input);
            expectSame(input, BlazeBinary.encodeOperation(op), "operation");
            accepted++;
        } catch (BlazeFormatException e) {
            rejected++;
        } catch (RuntimeException | Error e) {
            throw finding(input, "decodeOperation", e);
        }
        try {
            List<Operation> ops = BlazeBinary.decodeBatch(input);
            if (!ops.equals(BlazeBinary.decodeBatch(BlazeBinary.encodeBatch(ops)))) {
                throw new AssertionError("batch does not survive re-encoding");
            }
            accepted++;
        } catch (BlazeFormatException e) {
            rejected++;
        } catch (RuntimeException | Error e) {
            throw finding(input, "decodeBatch", e);
        }
    }

    private static void expectSame(byte[] input, byte[] again, String what) {
        if (!Arrays.equals(input, again)) {
            throw new AssertionError("a decoded " + what + " re-encodes differently: the decoder accepted a non-canonical form");
        }
    }

    private static AssertionError finding(byte[] input, String decoder, Throwable e) {
        return new AssertionError(decoder + " failed on input " + HexFormat.of().formatHex(input) + ": " + e, e);
    }

    /** @param args iterations (default 5,000,000) and seed (default 1) */
    public static void main(String[] args) {
        long iterations = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        long start = System.nanoTime();
        DecoderFuzzer fuzzer = new DecoderFuzzer(seed);
        fuzzer.run(iterations);
        System.out.printf("%d inputs (seed %d), %d decodes accepted, %d rejected with BlazeFormatException, no other failure, %.1f s%n",
                iterations, seed, fuzzer.accepted, fuzzer.rejected, (System.nanoTime() - start) / 1e9);
    }
}
