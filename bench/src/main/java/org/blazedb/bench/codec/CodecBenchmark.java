package org.blazedb.bench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.value.MapValue;
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
 * Encode and decode throughput, in documents per second, of one corpus ({@link Corpus}) in
 * BlazeBinary and in Jackson JSON and CBOR, all three to and from the same {@link MapValue}
 * documents (Jackson through its streaming generator and parser, {@link JacksonValueCodec}). For
 * reference, {@code jsonTree*} and {@code cborTree*} time Jackson on its own tree model
 * ({@code JsonNode}, timestamps and UUIDs as text), which rebuilds no typed values.
 * MB/s and sizes: {@link CodecReport}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class CodecBenchmark {
    /** Documents per benchmark invocation. */
    public static final int DOCS = 500;
    /** The corpus seed, fixed so every run measures the same documents. */
    public static final long SEED = 20261125;

    private final ObjectMapper jsonMapper = new ObjectMapper();
    private final ObjectMapper cborMapper = new CBORMapper();
    private final JacksonValueCodec json = JacksonValueCodec.json();
    private final JacksonValueCodec cbor = JacksonValueCodec.cbor();
    private List<MapValue> docs;
    private JsonNode[] trees;
    private byte[][] blazeBytes;
    private byte[][] jsonBytes;
    private byte[][] cborBytes;
    private byte[][] jsonTreeBytes;
    private byte[][] cborTreeBytes;

    /** Builds the corpus and its three encodings. */
    @Setup
    public void setUp() throws IOException {
        docs = Corpus.documents(DOCS, SEED);
        trees = new JsonNode[DOCS];
        blazeBytes = new byte[DOCS][];
        jsonBytes = new byte[DOCS][];
        cborBytes = new byte[DOCS][];
        jsonTreeBytes = new byte[DOCS][];
        cborTreeBytes = new byte[DOCS][];
        for (int i = 0; i < DOCS; i++) {
            trees[i] = Corpus.toTree(docs.get(i));
            blazeBytes[i] = BlazeBinary.encodeDocument(docs.get(i));
            jsonBytes[i] = json.encode(docs.get(i));
            cborBytes[i] = cbor.encode(docs.get(i));
            jsonTreeBytes[i] = jsonMapper.writeValueAsBytes(trees[i]);
            cborTreeBytes[i] = cborMapper.writeValueAsBytes(trees[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void blazeEncode(Blackhole bh) {
        for (MapValue doc : docs) {
            bh.consume(BlazeBinary.encodeDocument(doc));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void blazeDecode(Blackhole bh) {
        for (byte[] b : blazeBytes) {
            bh.consume(BlazeBinary.decodeDocument(b));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void jsonEncode(Blackhole bh) throws IOException {
        for (MapValue doc : docs) {
            bh.consume(json.encode(doc));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void jsonDecode(Blackhole bh) throws IOException {
        for (byte[] b : jsonBytes) {
            bh.consume(json.decode(b));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void cborEncode(Blackhole bh) throws IOException {
        for (MapValue doc : docs) {
            bh.consume(cbor.encode(doc));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void cborDecode(Blackhole bh) throws IOException {
        for (byte[] b : cborBytes) {
            bh.consume(cbor.decode(b));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void jsonTreeEncode(Blackhole bh) throws IOException {
        for (JsonNode tree : trees) {
            bh.consume(jsonMapper.writeValueAsBytes(tree));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void jsonTreeDecode(Blackhole bh) throws IOException {
        for (byte[] b : jsonTreeBytes) {
            bh.consume(jsonMapper.readTree(b));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void cborTreeEncode(Blackhole bh) throws IOException {
        for (JsonNode tree : trees) {
            bh.consume(cborMapper.writeValueAsBytes(tree));
        }
    }

    @Benchmark
    @OperationsPerInvocation(DOCS)
    public void cborTreeDecode(Blackhole bh) throws IOException {
        for (byte[] b : cborTreeBytes) {
            bh.consume(cborMapper.readTree(b));
        }
    }
}
