package org.blazedb.bench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeBinary;

/**
 * A cross-check of {@link CodecBenchmark} for shared, noisy machines: it measures the encode and
 * decode tasks in short rounds, one after the other, many times over, so that load from other
 * processes hits every codec alike, and prints the median time per document of each and the
 * ratios, in wall-clock time and in the measuring thread's CPU time (which the machine's load
 * inflates less). JMH runs each benchmark for ~20 s in turn, so a burst of load during one of them
 * skews the comparison; here it cannot.
 *
 * <p>The compared tasks are like for like: BlazeBinary and Jackson JSON and CBOR
 * ({@link JacksonValueCodec}, streaming) all encode the same {@link MapValue} documents and decode
 * back to equal ones (checked before measuring). For reference it also times Jackson on its own
 * tree model ({@code ObjectMapper.writeValueAsBytes(JsonNode)} / {@code readTree}, timestamps and
 * UUIDs as plain text), which does less: no typed values are rebuilt.
 * {@code java -cp bench/target/benchmarks.jar org.blazedb.bench.codec.CodecInterleaved [rounds]}
 */
public final class CodecInterleaved {
    private static final String[] NAMES = {"BlazeBinary encode", "Jackson JSON encode", "Jackson CBOR encode",
        "BlazeBinary decode", "Jackson JSON decode", "Jackson CBOR decode",
        "(JSON tree encode)", "(CBOR tree encode)", "(JSON tree decode)", "(CBOR tree decode)"};
    private static long sink;

    private CodecInterleaved() {
    }

    /** @param args the number of rounds (default 60; the first third is warm-up) */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Fixture f = new Fixture();
        int n = f.docs.size();
        List<List<Double>> nanosPerDoc = new ArrayList<>();
        List<List<Double>> cpuNanosPerDoc = new ArrayList<>();
        for (int k = 0; k < NAMES.length; k++) {
            nanosPerDoc.add(new ArrayList<>());
            cpuNanosPerDoc.add(new ArrayList<>());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int reps = 20;
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < NAMES.length; k++) {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int rep = 0; rep < reps; rep++) {
                    for (int i = 0; i < n; i++) {
                        sink += f.run(k, i);
                    }
                }
                if (round >= rounds / 3) {
                    nanosPerDoc.get(k).add((System.nanoTime() - start) / (double) (reps * n));
                    cpuNanosPerDoc.get(k).add((threads.getCurrentThreadCpuTime() - cpuStart) / (double) (reps * n));
                }
            }
        }
        double[] bytesPerDoc = {f.blazeSize, f.jsonSize, f.cborSize, f.blazeSize, f.jsonSize, f.cborSize,
            f.jsonTreeSize, f.cborTreeSize, f.jsonTreeSize, f.cborTreeSize};
        System.out.println("Wall-clock time:");
        report(nanosPerDoc, bytesPerDoc);
        System.out.println("CPU time of the measuring thread (excludes time the machine's load kept it off a core):");
        report(cpuNanosPerDoc, bytesPerDoc);
        System.out.printf("bytes/doc: BlazeBinary %.1f, JSON %.1f (plain tree %.1f), CBOR %.1f (plain tree %.1f)%n",
                f.blazeSize, f.jsonSize, f.jsonTreeSize, f.cborSize, f.cborTreeSize);
        System.out.println("(checksum " + sink + ")");
    }

    private static void report(List<List<Double>> nanosPerDoc, double[] bytesPerDoc) {
        double[] median = new double[NAMES.length];
        for (int k = 0; k < NAMES.length; k++) {
            List<Double> times = new ArrayList<>(nanosPerDoc.get(k));
            Collections.sort(times);
            median[k] = times.get(times.size() / 2);
            System.out.printf("  %-20s median %6.0f ns/doc  (%8.0f docs/s, %6.1f MB/s)  [p25 %6.0f, p75 %6.0f]%n", NAMES[k], median[k],
                    1e9 / median[k], bytesPerDoc[k] * 1e3 / median[k], times.get(times.size() / 4), times.get(times.size() * 3 / 4));
        }
        System.out.printf("  encode: BlazeBinary is %.2fx Jackson JSON and %.2fx Jackson CBOR (ratio of medians); "
                + "median of per-round ratios %.2fx and %.2fx%n", median[1] / median[0], median[2] / median[0],
                roundRatio(nanosPerDoc, 1, 0), roundRatio(nanosPerDoc, 2, 0));
        System.out.printf("  decode: BlazeBinary is %.2fx Jackson JSON and %.2fx Jackson CBOR (ratio of medians); "
                + "median of per-round ratios %.2fx and %.2fx%n", median[4] / median[3], median[5] / median[3],
                roundRatio(nanosPerDoc, 4, 3), roundRatio(nanosPerDoc, 5, 3));
    }

    /**
     * The median over rounds of task {@code a}'s time divided by task {@code b}'s in the same round:
     * the two ran within milliseconds of each other, so a slow phase of the machine cancels out.
     */
    private static double roundRatio(List<List<Double>> rounds, int a, int b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds.get(a).size(); i++) {
            ratios.add(rounds.get(a).get(i) / rounds.get(b).get(i));
        }
        Collections.sort(ratios);
        return ratios.get(ratios.size() / 2);
    }

    /** The corpus in every encoding, and the tasks over it. */
    static final class Fixture {
        final List<MapValue> docs = Corpus.documents(CodecBenchmark.DOCS, CodecBenchmark.SEED);
        final JacksonValueCodec json = JacksonValueCodec.json();
        final JacksonValueCodec cbor = JacksonValueCodec.cbor();
        final ObjectMapper jsonMapper = new ObjectMapper();
        final ObjectMapper cborMapper = new CBORMapper();
        final JsonNode[] trees;
        final byte[][] blazeBytes;
        final byte[][] jsonBytes;
        final byte[][] cborBytes;
        final byte[][] jsonTreeBytes;
        final byte[][] cborTreeBytes;
        final double blazeSize;
        final double jsonSize;
        final double cborSize;
        final double jsonTreeSize;
        final double cborTreeSize;

        Fixture() throws IOException {
            int n = docs.size();
            trees = new JsonNode[n];
            blazeBytes = new byte[n][];
            jsonBytes = new byte[n][];
            cborBytes = new byte[n][];
            jsonTreeBytes = new byte[n][];
            cborTreeBytes = new byte[n][];
            long[] total = new long[5];
            for (int i = 0; i < n; i++) {
                MapValue doc = docs.get(i);
                trees[i] = Corpus.toTree(doc);
                blazeBytes[i] = BlazeBinary.encodeDocument(doc);
                jsonBytes[i] = json.encode(doc);
                cborBytes[i] = cbor.encode(doc);
                jsonTreeBytes[i] = jsonMapper.writeValueAsBytes(trees[i]);
                cborTreeBytes[i] = cborMapper.writeValueAsBytes(trees[i]);
                check(doc, BlazeBinary.decodeDocument(blazeBytes[i]), "BlazeBinary");
                check(doc, json.decode(jsonBytes[i]), "Jackson JSON");
                check(doc, cbor.decode(cborBytes[i]), "Jackson CBOR");
                total[0] += blazeBytes[i].length;
                total[1] += jsonBytes[i].length;
                total[2] += cborBytes[i].length;
                total[3] += jsonTreeBytes[i].length;
                total[4] += cborTreeBytes[i].length;
            }
            blazeSize = total[0] / (double) n;
            jsonSize = total[1] / (double) n;
            cborSize = total[2] / (double) n;
            jsonTreeSize = total[3] / (double) n;
            cborTreeSize = total[4] / (double) n;
        }

        private static void check(MapValue expected, MapValue actual, String codec) {
            if (!expected.equals(actual)) {
                throw new IllegalStateException(codec + " did not round-trip a document: " + expected + " became " + actual);
            }
        }

        long run(int task, int i) throws IOException {
            switch (task) {
                case 0: return BlazeBinary.encodeDocument(docs.get(i)).length;
                case 1: return json.encode(docs.get(i)).length;
                case 2: return cbor.encode(docs.get(i)).length;
                case 3: return BlazeBinary.decodeDocument(blazeBytes[i]).size();
                case 4: return json.decode(jsonBytes[i]).size();
                case 5: return cbor.decode(cborBytes[i]).size();
                case 6: return jsonMapper.writeValueAsBytes(trees[i]).length;
                case 7: return cborMapper.writeValueAsBytes(trees[i]).length;
                case 8: return jsonMapper.readTree(jsonTreeBytes[i]).size();
                default: return cborMapper.readTree(cborTreeBytes[i]).size();
            }
        }
    }
}
