package vn.lienthong.connectors.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import org.junit.jupiter.api.Test;

/** The hardened parser and the leaf conversions on their own, apart from any profile. */
class XmlProfileParserTest {

    private static final String NS = "urn:test:x";
    private static final Set<String> ROOTS = new LinkedHashSet<>(List.of("A"));

    private static Schema schema() throws Exception {
        String xsd = "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' xmlns='" + NS + "' targetNamespace='" + NS
                + "' elementFormDefault='qualified'><xs:element name='A'><xs:complexType><xs:sequence>"
                + "<xs:element name='B' type='xs:long' maxOccurs='unbounded'/></xs:sequence></xs:complexType></xs:element></xs:schema>";
        return HardenedXml.schemaFactory().newSchema(new StreamSource(new StringReader(xsd)));
    }

    private static byte[] doc(String body) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<A xmlns=\"" + NS + "\">" + body + "</A>")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void xpathsNumberSiblingsThatShareAName() throws Exception {
        XmlElement root = XmlProfileParser.parse(doc("<B>1</B>\n<B>2</B><B>3</B>"), NS, ROOTS, schema(), "test");
        assertThat(root.children()).extracting(XmlElement::xpath).containsExactly("/A/B[1]", "/A/B[2]", "/A/B[3]");
        assertThat(root.children().get(1).line()).isEqualTo(3);
        assertThat(XmlProfileParser.parse(doc("<B>1</B>"), NS, ROOTS, schema(), "test").children().get(0).xpath())
                .isEqualTo("/A/B");
    }

    @Test
    void schemaErrorsAreLocatedAndTheirValuesWithheld() throws Exception {
        Schema schema = schema();
        assertThatThrownBy(() -> XmlProfileParser.parse(doc("<B>1</B><B>001085012345X</B>"), NS, ROOTS, schema, "test"))
                .isInstanceOfSatisfying(XmlDecodeException.class, e -> {
                    assertThat(e.xpath()).isEqualTo("/A/B[2]");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("XSD").doesNotContain("001085012345X").contains("withheld");
                });
        assertThatThrownBy(() -> XmlProfileParser.parse(doc("<C/>"), NS, ROOTS, schema, "test"))
                .isInstanceOfSatisfying(XmlDecodeException.class, e -> {
                    assertThat(e.xpath()).isEqualTo("/A/C");
                    assertThat(e.getMessage()).contains("'{B}'").doesNotContain(NS);
                });
    }

    @Test
    void readingStopsAfterTenSchemaErrorsAndForeignElementsAreNamed() throws Exception {
        Schema schema = schema();
        String many = "<B>x</B>".repeat(25);
        assertThatThrownBy(() -> XmlProfileParser.parse(doc(many), NS, ROOTS, schema, "test"))
                .isInstanceOfSatisfying(XmlDecodeException.class, e -> {
                    assertThat(e.xpath()).isEqualTo("/A/B[1]");
                    assertThat(e.getMessage()).contains("stopped after 10 errors");
                });
        assertThatThrownBy(() -> XmlProfileParser.parse(doc("<B xmlns='urn:other'>1</B>"), NS, ROOTS, schema, "test"))
                .isInstanceOfSatisfying(XmlDecodeException.class, e -> {
                    assertThat(e.xpath()).isEqualTo("/A/B");
                    assertThat(e.getMessage()).contains("urn:other").contains(NS);
                });
    }

    @Test
    void aFailedParseDoesNotSpoilTheNextOneOnTheSameThread() throws Exception {
        Schema schema = schema();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> XmlProfileParser.parse(doc("<B>x</B>"), NS, ROOTS, schema, "test"))
                    .isInstanceOf(XmlDecodeException.class);
            assertThatThrownBy(() -> XmlProfileParser.parse(doc("<B>1</B"), NS, ROOTS, schema, "test"))
                    .isInstanceOf(XmlDecodeException.class).hasMessageContaining("not well-formed");
            assertThat(XmlProfileParser.parse(doc("<B>7</B>"), NS, ROOTS, schema, "test").children()).hasSize(1);
        }
    }

    @Test
    void parsesConcurrently() throws Exception {
        Schema schema = schema();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int n = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        if ((i + n) % 5 == 0) {
                            try {
                                XmlProfileParser.parse(doc("<B>no</B>"), NS, ROOTS, schema, "test");
                            } catch (XmlDecodeException expected) {
                                ok++;
                            }
                        } else if (XmlProfileParser.parse(doc("<B>" + i + "</B>"), NS, ROOTS, schema, "test").children()
                                .get(0).text().equals(Integer.toString(i))) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void utf8IsStrictButAByteOrderMarkIsFine() throws Exception {
        byte[] withBom = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 'A', '/', '>'};
        assertThat(XmlProfileParser.utf8(withBom)).isEqualTo("<A/>");
        byte[] overlong = new byte[] {'<', 'A', '>', '\n', 'x', (byte) 0xC0, (byte) 0xAF, '<', '/', 'A', '>'};
        assertThatThrownBy(() -> XmlProfileParser.utf8(overlong)).isInstanceOfSatisfying(XmlDecodeException.class, e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(2);
            assertThat(e.getMessage()).contains("0xC0").contains("offset 5");
        });
    }

    @Test
    void leavesReadXsdLexicalFormsAndWriteTheCanonicalOnes() {
        XmlLeaf amount = XmlLeaf.integer("SoTien", "x");
        assertThat(amount.read(" +001250000000\n")).isEqualTo(LongNode.valueOf(1_250_000_000L));
        assertThat(amount.write(LongNode.valueOf(1_250_000_000L), "/a")).isEqualTo("1250000000");
        assertThat(amount.write(DecimalNode.valueOf(new BigDecimal("5.0")), "/a")).isEqualTo("5");
        assertThatThrownBy(() -> amount.write(TextNode.valueOf("1.250.000"), "/payload/amountVnd"))
                .hasMessageContaining("/payload/amountVnd").hasMessageNotContaining("1.250.000");

        XmlLeaf quantity = XmlLeaf.decimal("SoLuong", "x");
        assertThat(quantity.read("126.50")).isEqualTo(DecimalNode.valueOf(new BigDecimal("126.5")));
        assertThat(quantity.read("1840.0")).isEqualTo(LongNode.valueOf(1840));
        assertThat(quantity.write(DecimalNode.valueOf(new BigDecimal("1E+3")), "/q")).isEqualTo("1000");
        assertThat(quantity.write(DecimalNode.valueOf(new BigDecimal("0.125")), "/q")).isEqualTo("0.125");

        assertThat(XmlLeaf.bool().read(" 1 ")).isEqualTo(BooleanNode.TRUE);
        assertThat(XmlLeaf.bool().read("0")).isEqualTo(BooleanNode.FALSE);
        assertThat(XmlLeaf.smallInteger("NamSinh", "x").read("1985")).isEqualTo(IntNode.valueOf(1985));

        assertThat(XmlLeaf.token("T", "x").read("\n  a \t\r\n b  ")).isEqualTo(TextNode.valueOf("a b"));
        assertThat(XmlLeaf.text("V", "x").read("\n  a  b ")).isEqualTo(TextNode.valueOf("\n  a  b "));
        assertThat(XmlLeaf.dateTime("D", "x").write(TextNode.valueOf("2026-11-19t09:00:00z"), "/d"))
                .isEqualTo("2026-11-19T09:00:00Z");

        XmlLeaf codes = XmlLeaf.code("C", "x", CodeList.builder().code("FREEZE", "PhongToa", "p").build());
        assertThat(codes.read(" PhongToa ")).isEqualTo(TextNode.valueOf("FREEZE"));
        assertThat(codes.write(TextNode.valueOf("FREEZE"), "/m")).isEqualTo("PhongToa");
        assertThatThrownBy(() -> codes.write(TextNode.valueOf("THAW"), "/payload/measure"))
                .hasMessageContaining("/payload/measure");
    }

    @Test
    void theDomFactoryRefusesDoctypes() {
        String xxe = "<!DOCTYPE A [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><A>&x;</A>";
        assertThatThrownBy(() -> HardenedXml.documentBuilderFactory().newDocumentBuilder()
                .parse(new org.xml.sax.InputSource(new StringReader(xxe))))
                .hasMessageContaining("DOCTYPE");
    }
}
