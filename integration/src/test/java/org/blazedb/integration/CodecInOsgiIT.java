package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.codec.JsonCodec;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.FrameworkUtil;

/**
 * The codec works inside the framework: its exported package is wired from the codec bundle, and
 * it reaches Jackson and lz4-java (whose native library must load from inside a bundle) there.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CodecInOsgiIT extends BlazeTestSupport {
    @Test
    public void encodesDocumentsBatchesAndJsonInsideTheFramework() {
        assertEquals("org.blazedb.codec", FrameworkUtil.getBundle(BlazeBinary.class).getSymbolicName());
        MapValue doc = MapValue.builder().put("name", "Ada").put("born", Value.of(Instant.parse("1815-12-10T00:00:00Z")))
                .put("score", 99.5).build();
        assertEquals(doc, BlazeBinary.decodeDocument(BlazeBinary.encodeDocument(doc)));
        assertEquals(doc, JsonCodec.parseDocument(JsonCodec.write(doc)));

        NodeId node = NodeId.random();
        List<Operation> batch = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            batch.add(new Operation(new OpId(node, i), new Hlc(1_700_000_000_000L + i, 0, node), "people", "p" + i,
                    OperationKind.PUT, doc, Operation.noUnset(), VersionVector.of(Map.of(node, (long) i - 1))));
        }
        byte[] encoded = BlazeBinary.encodeBatch(batch);
        assertEquals("an LZ4-compressed batch", 1, encoded[1]);
        assertEquals(batch, BlazeBinary.decodeBatch(encoded));
        String lz4 = BlazeBinary.lz4Implementation();
        System.out.println("CodecInOsgiIT: LZ4 implementation in OSGi: " + lz4);
        assertTrue(lz4, lz4.startsWith("native") || lz4.startsWith("java"));
    }
}
