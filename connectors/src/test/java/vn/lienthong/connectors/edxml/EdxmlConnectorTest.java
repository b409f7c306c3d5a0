package vn.lienthong.connectors.edxml;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.VALIDATOR;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.assertSameTree;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.connector;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.decode;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.dom;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.ValidationResult;

/** The edXML profile: round trips, the header, lenient reading, namespace and organ lookup. */
class EdxmlConnectorTest {

    static Stream<String> golden() {
        return EdxmlFixtures.GOLDEN.keySet().stream().sorted();
    }

    static ValidationResult.Valid valid(byte[] json) {
        ValidationResult r = VALIDATOR.validate(json);
        assertThat(r.errors()).isEmpty();
        return (ValidationResult.Valid) r;
    }

    static Decoded.Canonical single(List<Decoded> items) {
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).isInstanceOf(Decoded.Canonical.class);
        return (Decoded.Canonical) items.get(0);
    }

    @ParameterizedTest
    @MethodSource("golden")
    void aGoldenFileRoundTripsEdxmlToCanonicalToTheSameEdxml(String path) throws Exception {
        byte[] golden = resource(path);
        Decoded.Canonical item = single(decode(connector(), golden));
        assertThat(item.location()).isEqualTo("/edXML/AttachmentEncoded/Attachment");
        ValidationResult.Valid message = valid(item.json());

        byte[] again = connector().encode(message.message(), item.json());

        assertSameTree(dom(golden), dom(again));
        // Nothing in the header depends on the clock or on chance: the bytes are the same too.
        assertThat(new String(again, StandardCharsets.UTF_8)).isEqualTo(new String(golden, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void aGoldenFileIsWhatTheEncoderWritesForItsCanonicalExample(String path) throws Exception {
        ValidationResult.Valid example = valid(resource(EdxmlFixtures.GOLDEN.get(path)));
        byte[] written = connector().encode(example.message(), CanonicalJson.mapper().writeValueAsBytes(example.normalized()));
        assertSameTree(dom(resource(path)), dom(written));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "violation.notice/valid-counterfeit-cosmetics-shopee.json",
        "violation.notice/valid-minimal-foreign-seller.json",
        "violation.notice/valid-smuggled-cigarettes-former-provinces.json",
        "report.periodic/valid-national-september.json",
        "report.periodic/valid-province-october.json",
        "report.periodic/valid-totals-only.json",
        "case.transfer/valid-counterfeit-cosmetics-to-c03.json",
        "info.request/valid-seller-data-from-platforms.json",
        "info.response/valid-tax-registration-and-invoices.json",
        "freeze.request/valid-freeze-cpc129.json",
        "freeze.request/valid-release.json",
        "takedown.request/valid-cigarettes-tiktok.json",
        "takedown.report/valid-removed-and-refused.json",
        "receipt/valid-rejected-unreadable-batch.json"})
    void aCanonicalExampleRoundTripsThroughEdxmlUnchangedAfterNormalization(String example) throws Exception {
        ValidationResult.Valid before = valid(resource("lienthong/examples/v1/" + example));
        byte[] edxml = connector().encode(before.message(), CanonicalJson.mapper().writeValueAsBytes(before.normalized()));

        ValidationResult.Valid after = valid(single(decode(connector(), edxml)).json());

        assertThat(after.normalized()).isEqualTo(before.normalized());
        assertThat(after.message()).isEqualTo(before.message());
        schemaValidator().validate(new StreamSource(new ByteArrayInputStream(edxml)));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void whatTheEncoderWritesIsValidAgainstTheProfileXsd(String path) throws Exception {
        schemaValidator().validate(new StreamSource(new ByteArrayInputStream(resource(path))));
    }

    static Validator schemaValidator() throws Exception {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        Validator v = f.newSchema(new StreamSource(new ByteArrayInputStream(resource("formats/edxml/edxml-lienthong.xsd"))))
                .newValidator();
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return v;
    }

    @Test
    void theHeaderDescribesTheMessage() throws Exception {
        Element root = dom(resource("formats/edxml/examples/violation.notice-smuggled-cigarettes.edxml"));
        Dom d = new Dom(EdxmlConnector.DEFAULT_NAMESPACE);
        Element header = d.child(d.child(d.child(root, "edXMLEnvelope"), "edXMLHeader"), "MessageHeader");
        assertThat(d.text(d.child(header, "From"), "OrganName")).isEqualTo("Tỉnh Ninh Bình");
        assertThat(d.text(d.child(header, "From"), "OrganId")).isEmpty();
        assertThat(d.children(header, "To")).hasSize(3);
        assertThat(d.text(d.child(header, "Code"), "CodeNumber")).isEqualTo("45");
        assertThat(d.text(d.child(header, "Code"), "CodeNotation")).isEqualTo("BB-VPHC");
        assertThat(d.text(d.child(header, "PromulgationInfo"), "PromulgationDate")).isEqualTo("2026/11/18");
        assertThat(d.text(d.child(header, "SignerInfo"), "FullName")).isEqualTo("Đỗ Quang Vinh");
        assertThat(d.text(d.child(header, "OtherInfo"), "Priority")).isEqualTo("1");
        assertThat(d.text(header, "Subject")).startsWith("Thông báo vi phạm ");
        Element trace = d.child(d.child(d.child(d.child(root, "edXMLEnvelope"), "edXMLHeader"), "TraceHeaderList"),
                "TraceHeader");
        // createdAt 2026-11-18T09:20:00+07:00, in Vietnam's time.
        assertThat(d.text(trace, "Timestamp")).isEqualTo("2026/11/18 09:20:00");
        assertThat(root.getNamespaceURI()).isEqualTo(EdxmlConnector.DEFAULT_NAMESPACE);
        assertThat(d.child(d.child(root, "edXMLEnvelope"), "edXMLHeader").getPrefix()).isEqualTo("edXML");

        Element reply = dom(resource("formats/edxml/examples/info.response-customs-declarations.edxml"));
        Element replyHeader = d.child(d.child(d.child(reply, "edXMLEnvelope"), "edXMLHeader"), "MessageHeader");
        assertThat(d.text(d.child(replyHeader, "ResponseFor"), "DocumentId")).isEqualTo("e04c2983-e14a-412d-8bce-e79111dc74ea");
        Element request = dom(resource("formats/edxml/examples/info.request-customs-declarations.edxml"));
        assertThat(d.text(d.child(d.child(d.child(request, "edXMLEnvelope"), "edXMLHeader"), "MessageHeader"), "DueDate"))
                .matches("[0-9]{4}/[0-9]{2}/[0-9]{2}");
    }

    @Test
    void aProvincePlatformsVariantReadsAsTheSameMessageAndIsWrittenBackInTheProfile() throws Exception {
        String golden = "formats/edxml/examples/violation.notice-smuggled-cigarettes.edxml";
        byte[] signed = resource("edxml/province-variant-violation.notice.edxml");
        // Its Signature is a sample that does not verify: refused (README §7); without it, the same message.
        Decoded.Failure refused = (Decoded.Failure) decode(connector(), signed).get(0);
        assertThat(refused.location()).contains("/Signature");
        byte[] variant = unsigned(signed);

        Decoded.Canonical fromVariant = single(decode(connector(), variant));
        Decoded.Canonical fromGolden = single(decode(connector(), resource(golden)));
        assertThat(fromVariant.json()).isEqualTo(fromGolden.json());
        // The Signature, Bussiness, OrganizationInCharge, ... are not part of the message: written back,
        // the document is the profile's (the golden file).
        byte[] again = connector().encode(valid(fromVariant.json()).message(), fromVariant.json());
        assertSameTree(dom(resource(golden)), dom(again));
    }

    @Test
    void aDocumentInNoNamespaceIsReadToo() throws Exception {
        String golden = new String(resource("formats/edxml/examples/report.periodic-province-october.edxml"),
                StandardCharsets.UTF_8);
        String plain = golden.replace(" xmlns=\"" + EdxmlConnector.DEFAULT_NAMESPACE + "\"", "")
                .replace(" xmlns:edXML=\"" + EdxmlConnector.DEFAULT_NAMESPACE + "\"", "").replace("edXML:", "");
        assertThat(plain).doesNotContain("mic.gov.vn");
        assertThat(single(decode(connector(), plain.getBytes(StandardCharsets.UTF_8))).json())
                .isEqualTo(single(decode(connector(), golden.getBytes(StandardCharsets.UTF_8))).json());
    }

    @Test
    void theNamespaceIsConfigurable() throws Exception {
        String other = "urn:example:edxml";
        EdxmlConnector connector = new EdxmlConnector(other, Map.of());
        ValidationResult.Valid example = valid(resource("lienthong/examples/v1/report.periodic/valid-totals-only.json"));
        byte[] written = connector.encode(example.message(), CanonicalJson.mapper().writeValueAsBytes(example.normalized()));
        assertThat(dom(written).getNamespaceURI()).isEqualTo(other);
        assertThat(single(decode(connector, written)).json()).isNotEmpty();
        // A document in the default namespace is not one this channel reads.
        byte[] golden = resource("formats/edxml/examples/report.periodic-province-october.edxml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode(connector, golden))
                .isInstanceOf(vn.lienthong.connectors.spi.DecodeException.class)
                .hasMessage("the root element is in namespace " + EdxmlConnector.DEFAULT_NAMESPACE
                        + "; this channel reads edXML in urn:example:edxml or in no namespace");
    }

    @Test
    void withoutALookupAnAgencyIsWrittenByItsCodeWithAnEmptyOrganId() throws Exception {
        ValidationResult.Valid example = valid(resource("lienthong/examples/v1/report.periodic/valid-totals-only.json"));
        byte[] written = new EdxmlConnector().encode(example.message(), CanonicalJson.mapper().writeValueAsBytes(example.normalized()));
        String text = new String(written, StandardCharsets.UTF_8);
        assertThat(text).contains("<edXML:From>\n          <edXML:OrganId/>\n          <edXML:OrganName>PROV.79</edXML:OrganName>")
                .contains("<edXML:OrganName>BCD389</edXML:OrganName>");
        ValidationResult.Valid withIds = valid(resource("lienthong/examples/v1/report.periodic/valid-totals-only.json"));
        EdxmlConnector known = new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE,
                Map.of("PROV.79", new EdxmlConnector.Organ("SAMPLE.00.00.H79", "Thành phố Hồ Chí Minh")));
        String named = new String(known.encode(withIds.message(), CanonicalJson.mapper().writeValueAsBytes(withIds.normalized())),
                StandardCharsets.UTF_8);
        assertThat(named).contains("<edXML:OrganId>SAMPLE.00.00.H79</edXML:OrganId>\n          <edXML:OrganName>Thành phố Hồ Chí Minh");
    }

    @Test
    void aDocumentWithoutTheLienthongAttachmentIsReadAsAProvincesPlainDocument() throws Exception {
        String golden = new String(resource("formats/edxml/examples/report.periodic-province-october.edxml"),
                StandardCharsets.UTF_8);
        String plain = golden.replace("lienthong-message.json", "cong-van-123.pdf").replace("application/json", "application/pdf");
        List<Decoded> items = decode(connector(), plain.getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(1);
        // A monthly report's header (no number, no violation) says nothing a violation notice needs:
        // refused where it first falls short.
        Decoded.Failure f = (Decoded.Failure) items.get(0);
        assertThat(f.location()).isEqualTo("/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/Code");
        assertThat(f.message()).isEqualTo("CodeNumber and CodeNotation are empty: the document's number is the"
                + " notice's case reference");
    }

    @Test
    void theHeaderMustAgreeWithTheMessage() throws Exception {
        String golden = new String(resource("formats/edxml/examples/info.response-customs-declarations.edxml"),
                StandardCharsets.UTF_8);
        String otherId = golden.replaceFirst("(<edXML:DocumentId>)[^<]*(</edXML:DocumentId>\n      </edXML:MessageHeader>)",
                "$1000.00.00.G22,2026/11/19,123/UBND-VP$2");
        Decoded.Failure f = (Decoded.Failure) decode(connector(), otherId.getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(f.location()).isEqualTo("/edXML/edXMLEnvelope/edXMLHeader/MessageHeader");
        assertThat(f.message()).startsWith("DocumentId 000.00.00.G22,2026/11/19,123/UBND-VP is not the attachment's messageId ");

        String otherReply = golden.replace("<edXML:DocumentId>e04c2983-e14a-412d-8bce-e79111dc74ea</edXML:DocumentId>",
                "<edXML:DocumentId>00000000-0000-4000-8000-000000000000</edXML:DocumentId>");
        assertThat(((Decoded.Failure) decode(connector(), otherReply.getBytes(StandardCharsets.UTF_8)).get(0)).message())
                .isEqualTo("ResponseFor/DocumentId 00000000-0000-4000-8000-000000000000 is not the attachment's inReplyTo");

        // Where the sender's organ id is known, From/OrganId must be it.
        byte[] variant = unsigned(resource("edxml/province-variant-violation.notice.edxml"));
        EdxmlConnector known = new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE,
                Map.of("PROV.37", new EdxmlConnector.Organ("SAMPLE.00.00.H99", "Tỉnh Ninh Bình")));
        assertThat(((Decoded.Failure) decode(known, variant).get(0)).message())
                .isEqualTo("From/OrganId SAMPLE.00.00.H37 is not the organ id of the sender PROV.37");
        EdxmlConnector right = new EdxmlConnector(EdxmlConnector.DEFAULT_NAMESPACE,
                Map.of("PROV.37", new EdxmlConnector.Organ("SAMPLE.00.00.H37", "Tỉnh Ninh Bình")));
        assertThat(decode(right, variant).get(0)).isInstanceOf(Decoded.Canonical.class);
    }

    @Test
    void headerTextIsEscapedAndCharactersXmlCannotCarryAreReplaced() throws Exception {
        ValidationResult.Valid example = valid(resource("lienthong/examples/v1/violation.notice/valid-minimal-foreign-seller.json"));
        ObjectNode tree = example.normalized().deepCopy();
        ((ObjectNode) tree.get("payload")).put("caseRef", "A&B <x> \"q\" \u0001 \uD83D\uDE00");
        ValidationResult.Valid edited = valid(CanonicalJson.mapper().writeValueAsBytes(tree));
        byte[] json = CanonicalJson.mapper().writeValueAsBytes(edited.normalized());
        byte[] written = connector().encode(edited.message(), json);

        Dom d = new Dom(EdxmlConnector.DEFAULT_NAMESPACE);
        Element root = dom(written);
        Element header = d.child(d.child(d.child(root, "edXMLEnvelope"), "edXMLHeader"), "MessageHeader");
        assertThat(d.text(header, "Subject")).isEqualTo("Thông báo vi phạm A&B <x> \"q\" \uFFFD \uD83D\uDE00");
        JsonNode back = CanonicalJson.mapper().readTree(single(decode(connector(), written)).json());
        assertThat(back.at("/payload/caseRef").asText()).isEqualTo("A&B <x> \"q\" \u0001 \uD83D\uDE00");
    }

    @Test
    void itIsFoundByItsFormatName() {
        assertThat(Connectors.discover().forFormat("edxml")).get().isInstanceOf(EdxmlConnector.class);
        EdxmlConnector c = new EdxmlConnector();
        assertThat(c.mediaType()).isEqualTo("application/xml");
        assertThat(c.extension()).isEqualTo(".edxml");
    }

    /** The document without its XML signature. */
    static byte[] unsigned(byte[] edxml) {
        String text = new String(edxml, StandardCharsets.UTF_8);
        String without = text.replaceAll("(?s)<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">.*?</Signature>", "");
        assertThat(without).isNotEqualTo(text);
        return without.getBytes(StandardCharsets.UTF_8);
    }
}
