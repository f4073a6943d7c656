package org.blazedb.bench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeBinary;

/**
 * A cross-check of {@link CodecBenchmark} for shared, noisy machines: it measures the six
 * encode/decode tasks in short rounds, one after the other, many times over, so that load from
 * other processes hits every codec alike, and prints the median time per document of each and
 * the ratios. JMH runs each benchmark for ~20 s in turn, so a burst of load during one of them
 * skews the comparison; here it cannot.
 * {@code java -cp bench/target/benchmarks.jar org.blazedb.bench.codec.CodecInterleaved [rounds]}
 */
public final class CodecInterleaved {
    private static final String[] NAMES = {"BlazeBinary encode", "Jackson JSON encode", "Jackson CBOR encode",
        "BlazeBinary decode", "Jackson JSON decode", "Jackson CBOR decode"};
    private static long sink;

    private CodecInterleaved() {
    }

    /** @param args the number of rounds (default 60; the first third is warm-up) */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int n = CodecBenchmark.DOCS;
        List<MapValue> docs = Corpus.documents(n, CodecBenchmark.SEED);
        ObjectMapper json = new ObjectMapper();
        ObjectMapper cbor = new CBORMapper();
        JsonNode[] trees = new JsonNode[n];
        byte[][] blazeBytes = new byte[n][];
        byte[][] jsonBytes = new byte[n][];
        byte[][] cborBytes = new byte[n][];
        for (int i = 0; i < n; i++) {
            trees[i] = Corpus.toTree(docs.get(i));
            blazeBytes[i] = BlazeBinary.encodeDocument(docs.get(i));
            jsonBytes[i] = json.writeValueAsBytes(trees[i]);
            cborBytes[i] = cbor.writeValueAsBytes(trees[i]);
        }
        List<List<Double>> nanosPerDoc = new ArrayList<>();
        for (int k = 0; k < NAMES.length; k++) {
            nanosPerDoc.add(new ArrayList<>());
        }
        int reps = 20;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < NAMES.length; k++) {
                long start = System.nanoTime();
                for (int rep = 0; rep < reps; rep++) {
                    for (int i = 0; i < n; i++) {
                        sink += run(k, docs.get(i), trees[i], blazeBytes[i], jsonBytes[i], cborBytes[i], json, cbor);
                    }
                }
                if (round >= rounds / 3) {
                    nanosPerDoc.get(k).add((System.nanoTime() - start) / (double) (reps * n));
                }
            }
        }
        double[] median = new double[NAMES.length];
        for (int k = 0; k < NAMES.length; k++) {
            List<Double> times = nanosPerDoc.get(k);
            Collections.sort(times);
            median[k] = times.get(times.size() / 2);
            System.out.printf("%-20s median %6.0f ns/doc  (%8.0f docs/s)%n", NAMES[k], median[k], 1e9 / median[k]);
        }
        System.out.printf("encode: BlazeBinary is %.2fx Jackson JSON and %.2fx Jackson CBOR%n", median[1] / median[0], median[2] / median[0]);
        System.out.printf("decode: BlazeBinary is %.2fx Jackson JSON and %.2fx Jackson CBOR%n", median[4] / median[3], median[5] / median[3]);
        System.out.println("(checksum " + sink + ")");
    }

    private static long run(int task, MapValue doc, JsonNode tree, byte[] blaze, byte[] js, byte[] cb,
                            ObjectMapper json, ObjectMapper cbor) throws IOException {
        switch (task) {
            case 0: return BlazeBinary.encodeDocument(doc).length;
            case 1: return json.writeValueAsBytes(tree).length;
            case 2: return cbor.writeValueAsBytes(tree).length;
            case 3: return BlazeBinary.decodeDocument(blaze).size();
            case 4: return json.readTree(js).size();
            default: return cbor.readTree(cb).size();
        }
    }
}
