package org.blazedb.bench.codec;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.blazedb.api.Operation;
import org.blazedb.codec.BlazeBinary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * LZ4 on batches of {@link #OPS_PER_BATCH} operations of the corpus: block compression and safe
 * decompression of the uncompressed batch body with the native (JNI) and the pure-Java
 * implementation. Throughput in batches per second. Whole batches: {@link BatchBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class Lz4Benchmark {
    /** Operations per batch, a typical sync batch. */
    public static final int OPS_PER_BATCH = 100;
    /** Batches per invocation. */
    public static final int BATCHES = 5;

    /** "native" or "java". */
    @Param({"native", "java"})
    public String lz4;

    private byte[][] bodies;
    private byte[][] compressed;
    private int[] compressedLengths;
    private byte[] out;
    private LZ4Compressor compressor;
    private LZ4SafeDecompressor decompressor;

    /** Builds the batches and compresses them once. */
    @Setup
    public void setUp() {
        LZ4Factory factory = lz4.equals("native") ? LZ4Factory.nativeInstance() : LZ4Factory.fastestJavaInstance();
        compressor = factory.fastCompressor();
        decompressor = factory.safeDecompressor();
        List<Operation> ops = Corpus.operations(Corpus.documents(OPS_PER_BATCH * BATCHES, CodecBenchmark.SEED));
        bodies = new byte[BATCHES][];
        compressed = new byte[BATCHES][];
        compressedLengths = new int[BATCHES];
        int max = 0;
        for (int i = 0; i < BATCHES; i++) {
            List<Operation> batch = ops.subList(i * OPS_PER_BATCH, (i + 1) * OPS_PER_BATCH);
            byte[] raw = BlazeBinary.encodeBatch(batch, false);
            bodies[i] = Arrays.copyOfRange(raw, 2, raw.length);
            compressed[i] = compressor.compress(bodies[i]);
            compressedLengths[i] = compressed[i].length;
            max = Math.max(max, compressor.maxCompressedLength(bodies[i].length));
            max = Math.max(max, bodies[i].length);
        }
        out = new byte[max];
    }

    @Benchmark
    @OperationsPerInvocation(BATCHES)
    public void compress(Blackhole bh) {
        for (byte[] body : bodies) {
            bh.consume(compressor.compress(body, 0, body.length, out, 0, out.length));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCHES)
    public void decompress(Blackhole bh) {
        for (int i = 0; i < BATCHES; i++) {
            bh.consume(decompressor.decompress(compressed[i], 0, compressedLengths[i], out, 0, bodies[i].length));
        }
    }
}
