package org.blazedb.bench.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.Operation;
import org.blazedb.codec.BlazeBinary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Whole batches of {@link Lz4Benchmark#OPS_PER_BATCH} corpus operations through
 * {@link BlazeBinary#encodeBatch} and {@link BlazeBinary#decodeBatch}, with the LZ4 implementation
 * {@link BlazeBinary#lz4Implementation()} picked (native when it loads). Batches per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class BatchBenchmark {
    private List<List<Operation>> batches;
    private byte[][] encoded;

    /** Builds and encodes the batches. */
    @Setup
    public void setUp() {
        List<Operation> ops = Corpus.operations(Corpus.documents(Lz4Benchmark.OPS_PER_BATCH * Lz4Benchmark.BATCHES, CodecBenchmark.SEED));
        batches = new ArrayList<>();
        encoded = new byte[Lz4Benchmark.BATCHES][];
        for (int i = 0; i < Lz4Benchmark.BATCHES; i++) {
            batches.add(ops.subList(i * Lz4Benchmark.OPS_PER_BATCH, (i + 1) * Lz4Benchmark.OPS_PER_BATCH));
            encoded[i] = BlazeBinary.encodeBatch(batches.get(i));
        }
    }

    @Benchmark
    @OperationsPerInvocation(Lz4Benchmark.BATCHES)
    public void batchEncode(Blackhole bh) {
        for (List<Operation> batch : batches) {
            bh.consume(BlazeBinary.encodeBatch(batch));
        }
    }

    @Benchmark
    @OperationsPerInvocation(Lz4Benchmark.BATCHES)
    public void batchDecode(Blackhole bh) {
        for (byte[] b : encoded) {
            bh.consume(BlazeBinary.decodeBatch(b));
        }
    }
}
