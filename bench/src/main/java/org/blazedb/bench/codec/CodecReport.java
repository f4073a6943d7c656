package org.blazedb.bench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.Operation;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeBinary;

/**
 * Prints the corpus sizes (BlazeBinary, JSON, CBOR; batches raw and LZ4 against JSON) and, given
 * a JMH JSON result file, the medians with MB/s and the ratios the codec goals are stated in:
 * {@code java -cp bench/target/benchmarks.jar org.blazedb.bench.codec.CodecReport [jmh-result.json]}.
 */
public final class CodecReport {
    private CodecReport() {
    }

    /** @param args optionally the JMH result file (-rf json -rff FILE) */
    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectMapper cbor = new CBORMapper();
        List<MapValue> docs = Corpus.documents(CodecBenchmark.DOCS, CodecBenchmark.SEED);
        JacksonValueCodec typedJson = JacksonValueCodec.json();
        JacksonValueCodec typedCbor = JacksonValueCodec.cbor();
        long blaze = 0;
        long js = 0;
        long cb = 0;
        long plainJs = 0;
        long plainCb = 0;
        long fields = 0;
        for (MapValue doc : docs) {
            blaze += BlazeBinary.encodeDocument(doc).length;
            js += typedJson.encode(doc).length;
            cb += typedCbor.encode(doc).length;
            JsonNode tree = Corpus.toTree(doc);
            plainJs += json.writeValueAsBytes(tree).length;
            plainCb += cbor.writeValueAsBytes(tree).length;
            fields += doc.size();
        }
        int n = docs.size();
        System.out.printf("corpus: %d documents, %.1f top-level fields on average%n", n, fields / (double) n);
        System.out.printf("size per document: BlazeBinary %.1f B, JSON %.1f B (typed, as compared), CBOR %.1f B (typed); "
                + "plain JSON %.1f B, plain CBOR %.1f B (timestamps and UUIDs as text)%n",
                blaze / (double) n, js / (double) n, cb / (double) n, plainJs / (double) n, plainCb / (double) n);
        System.out.printf("BlazeBinary/JSON %.1f %% (typed JSON), %.1f %% (plain JSON); CBOR/JSON %.1f %% (typed)%n",
                100.0 * blaze / js, 100.0 * blaze / plainJs, 100.0 * cb / js);

        List<Operation> ops = Corpus.operations(Corpus.documents(Lz4Benchmark.OPS_PER_BATCH * Lz4Benchmark.BATCHES, CodecBenchmark.SEED));
        long raw = 0;
        long lz4 = 0;
        long batchJson = 0;
        for (int i = 0; i < Lz4Benchmark.BATCHES; i++) {
            List<Operation> batch = ops.subList(i * Lz4Benchmark.OPS_PER_BATCH, (i + 1) * Lz4Benchmark.OPS_PER_BATCH);
            raw += BlazeBinary.encodeBatch(batch, false).length;
            lz4 += BlazeBinary.encodeBatch(batch).length;
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            batch.forEach(op -> array.add(Corpus.toTree(op)));
            batchJson += json.writeValueAsBytes(array).length;
        }
        int b = Lz4Benchmark.BATCHES;
        System.out.printf("batch of %d operations: raw %.0f B, LZ4 %.0f B, JSON %.0f B; raw/JSON %.1f %%, LZ4/JSON %.1f %%, LZ4/raw %.1f %% (LZ4: %s)%n",
                Lz4Benchmark.OPS_PER_BATCH, raw / (double) b, lz4 / (double) b, batchJson / (double) b,
                100.0 * raw / batchJson, 100.0 * lz4 / batchJson, 100.0 * lz4 / raw, BlazeBinary.lz4Implementation());

        if (args.length == 0) {
            return;
        }
        Map<String, Double> median = new HashMap<>();
        for (JsonNode result : json.readTree(new File(args[0]))) {
            String name = result.get("benchmark").asText().replaceAll(".*\\.", "");
            JsonNode params = result.get("params");
            if (params != null && params.has("lz4")) {
                name += "[" + params.get("lz4").asText() + "]";
            }
            median.put(name, result.get("primaryMetric").get("scorePercentiles").get("50.0").asDouble());
        }
        System.out.println();
        System.out.println("| format | encode docs/s | encode MB/s | decode docs/s | decode MB/s | bytes/doc |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        row(median, "BlazeBinary", "blaze", blaze / (double) n);
        row(median, "Jackson JSON", "json", js / (double) n);
        row(median, "Jackson CBOR", "cbor", cb / (double) n);
        System.out.println();
        ratio(median, "encode", "blazeEncode", "jsonEncode", "cborEncode");
        ratio(median, "decode", "blazeDecode", "jsonDecode", "cborDecode");
        double rawBatch = raw / (double) b - 2;
        System.out.println();
        System.out.println("| LZ4 | compress batches/s | compress MB/s | decompress batches/s | decompress MB/s |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (String impl : List.of("native", "java")) {
            Double c = median.get("compress[" + impl + "]");
            Double d = median.get("decompress[" + impl + "]");
            if (c != null && d != null) {
                System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f |%n", impl, c, c * rawBatch / 1e6, d, d * rawBatch / 1e6);
            }
        }
        Double be = median.get("batchEncode");
        Double bd = median.get("batchDecode");
        if (be != null && bd != null) {
            System.out.printf("%nwhole batch through BlazeBinary (%d ops): encode %.0f batches/s (%.0f ops/s), decode %.0f batches/s (%.0f ops/s)%n",
                    Lz4Benchmark.OPS_PER_BATCH, be, be * Lz4Benchmark.OPS_PER_BATCH, bd, bd * Lz4Benchmark.OPS_PER_BATCH);
        }
    }

    private static void row(Map<String, Double> median, String label, String prefix, double bytesPerDoc) {
        Double e = median.get(prefix + "Encode");
        Double d = median.get(prefix + "Decode");
        if (e == null || d == null) {
            return;
        }
        System.out.printf("| %s | %.0f | %.1f | %.0f | %.1f | %.1f |%n", label, e, e * bytesPerDoc / 1e6, d, d * bytesPerDoc / 1e6, bytesPerDoc);
    }

    private static void ratio(Map<String, Double> median, String what, String blaze, String json, String cbor) {
        if (median.containsKey(blaze) && median.containsKey(json) && median.containsKey(cbor)) {
            System.out.printf("%s: BlazeBinary is %.2fx Jackson JSON and %.2fx Jackson CBOR (documents/s, medians)%n", what,
                    median.get(blaze) / median.get(json), median.get(blaze) / median.get(cbor));
        }
    }
}
