package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The Karaf features repository the build produces is well-formed XML, fully filtered, and lists
 * exactly the BlazeDB bundles under test (all but the standalone-node bundle, which Karaf does not
 * need). Installing it into a real Karaf is {@code features/verify-in-karaf.sh}.
 */
public class FeaturesRepositoryIT {
    private static final Pattern BLAZE_BUNDLE = Pattern.compile("mvn:org\\.blazedb/([^/]+)/");

    @Test
    public void featuresXmlIsWellFormedAndListsEveryBlazeDbBundle() throws Exception {
        File xml = new File(System.getProperty("blaze.features.xml", "../features/target/classes/features.xml"));
        assertTrue("the features module built " + xml, xml.isFile());
        String text = Files.readString(xml.toPath());
        assertFalse("unfiltered placeholder in features.xml", text.contains("${"));

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(xml);
        assertEquals("features", doc.getDocumentElement().getLocalName());

        Set<String> listed = new TreeSet<>();
        NodeList bundles = doc.getElementsByTagNameNS("*", "bundle");
        for (int i = 0; i < bundles.getLength(); i++) {
            Matcher m = BLAZE_BUNDLE.matcher(bundles.item(i).getTextContent().trim());
            if (m.find()) {
                listed.add(m.group(1));
            }
        }
        Set<String> underTest = new TreeSet<>();
        for (Path jar : BlazeTestSupport.bundleJars()) {
            String name = jar.getFileName().toString();
            if (name.startsWith("org.blazedb.") && !name.startsWith("org.blazedb.node-")) {
                underTest.add(name.substring(0, name.indexOf('-')));
            }
        }
        assertFalse(underTest.isEmpty());
        assertEquals("BlazeDB bundles in features.xml vs bundles under test", underTest, listed);
    }
}
