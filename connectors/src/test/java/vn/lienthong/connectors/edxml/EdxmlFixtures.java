package vn.lienthong.connectors.edxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.ValidatorSettings;

/** Shared pieces of the edXML tests: the organ lookup of the examples, the validator, DOM comparison. */
final class EdxmlFixtures {

    static final MessageValidator VALIDATOR = new MessageValidator(ValidatorSettings.defaults()
            .withClock(Clock.fixed(Instant.parse("2026-11-20T05:00:00Z"), ZoneOffset.UTC)));

    /** Names as in config/agencies.yaml; organ ids left empty, as the registry knows none yet. */
    static final Map<String, EdxmlConnector.Organ> ORGANS = Map.of(
            "MOIT.DMS", new EdxmlConnector.Organ("", "Cục Quản lý và Phát triển thị trường trong nước, Bộ Công Thương"),
            "MOIT.ECDE", new EdxmlConnector.Organ("", "Cục Thương mại điện tử và Kinh tế số, Bộ Công Thương"),
            "MPS.A05", new EdxmlConnector.Organ("", "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an"),
            "MPS.C03", new EdxmlConnector.Organ("", "Cục Cảnh sát điều tra tội phạm về tham nhũng, kinh tế, buôn lậu, môi trường (C03), Bộ Công an"),
            "MOF.CUSTOMS", new EdxmlConnector.Organ("", "Cục Hải quan, Bộ Tài chính"),
            "BCD389", new EdxmlConnector.Organ("", "Văn phòng Thường trực Ban Chỉ đạo quốc gia chống buôn lậu, gian lận thương mại và hàng giả (Văn phòng Thường trực BCĐ 389)"),
            "PROV.37", new EdxmlConnector.Organ("", "Tỉnh Ninh Bình"),
            "PROV.79", new EdxmlConnector.Organ("", "Thành phố Hồ Chí Minh"));

    /** Golden edXML examples and the canonical examples they were written from. */
    static final Map<String, String> GOLDEN = Map.of(
            "formats/edxml/examples/violation.notice-smuggled-cigarettes.edxml",
            "lienthong/examples/v1/violation.notice/valid-smuggled-cigarettes-former-provinces.json",
            "formats/edxml/examples/case.transfer-smuggled-phones.edxml",
            "lienthong/examples/v1/case.transfer/valid-smuggled-phones-from-province.json",
            "formats/edxml/examples/report.periodic-province-october.edxml",
            "lienthong/examples/v1/report.periodic/valid-province-october.json",
            "formats/edxml/examples/info.request-customs-declarations.edxml",
            "lienthong/examples/v1/info.request/valid-customs-declarations.json",
            "formats/edxml/examples/info.response-customs-declarations.edxml",
            "lienthong/examples/v1/info.response/valid-customs-declarations.json");

    private EdxmlFixtures() {
    }

    static EdxmlConnector connector() {
        return new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE, ORGANS);
    }

    static byte[] resource(String path) {
        try (InputStream in = EdxmlFixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Decoded> decode(EdxmlConnector connector, byte[] bytes) throws Exception {
        List<Decoded> items = new ArrayList<>();
        connector.decode(new ByteArrayInputStream(bytes), "test.edxml", items::add);
        return items;
    }

    /** A DOM read the plain (trusted) way, for comparisons. */
    static Element dom(byte[] bytes) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes)).getDocumentElement();
    }

    /**
     * Asserts two documents are the same tree: element namespaces and local names (prefixes do not
     * matter), attributes other than namespace declarations, and text with white space around it
     * ignored; white-space-only text between elements is layout.
     */
    static void assertSameTree(Element expected, Element actual) {
        String path = Dom.xpath(actual);
        assertThat(actual.getLocalName()).as(path).isEqualTo(expected.getLocalName());
        assertThat(actual.getNamespaceURI()).as(path + " namespace").isEqualTo(expected.getNamespaceURI());
        assertThat(attributes(actual)).as(path + " attributes").isEqualTo(attributes(expected));
        List<Element> e = elements(expected);
        List<Element> a = elements(actual);
        assertThat(a.stream().map(Element::getLocalName).toList()).as(path + " children")
                .isEqualTo(e.stream().map(Element::getLocalName).toList());
        if (e.isEmpty()) {
            assertThat(actual.getTextContent().strip()).as(path + " text").isEqualTo(expected.getTextContent().strip());
        }
        for (int i = 0; i < e.size(); i++) {
            assertSameTree(e.get(i), a.get(i));
        }
    }

    private static List<Element> elements(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                out.add(el);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                if (!n.getNodeValue().isBlank() && parent.getElementsByTagNameNS("*", "*").getLength() > 0) {
                    throw new AssertionError("mixed content in " + Dom.xpath(parent));
                }
            }
        }
        return out;
    }

    private static Map<String, String> attributes(Element e) {
        Map<String, String> out = new java.util.TreeMap<>();
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                out.put("{" + a.getNamespaceURI() + "}" + a.getLocalName(), a.getValue());
            }
        }
        return out;
    }
}
