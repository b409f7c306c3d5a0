package vn.lienthong.connectors.edxml;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.VALIDATOR;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.connector;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.decode;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.validation.ValidationResult;

/** A province's plain edXML document (no lienthong attachment) as a violation.notice: README §5. */
class EdxmlPlainDocumentTest {

    static final String DIR = "formats/edxml/examples/plain/";
    static final String NOTICE = DIR + "thong-bao-vi-pham-ninh-binh.edxml";
    static final String RECORD = DIR + "bien-ban-vi-pham-tp-ho-chi-minh.edxml";
    static final String HEADER = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader";

    static Decoded.Canonical canonical(byte[] edxml) throws Exception {
        List<Decoded> items = decode(connector(), edxml);
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).as(items.get(0).toString()).isInstanceOf(Decoded.Canonical.class);
        return (Decoded.Canonical) items.get(0);
    }

    static Decoded.Failure failure(String edxml) throws Exception {
        List<Decoded> items = decode(connector(), edxml.getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).as(items.get(0).toString()).isInstanceOf(Decoded.Failure.class);
        return (Decoded.Failure) items.get(0);
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    static ValidationResult.Valid valid(byte[] json) {
        ValidationResult r = VALIDATOR.validate(json);
        assertThat(r.errors()).isEmpty();
        return (ValidationResult.Valid) r;
    }

    @ParameterizedTest
    @ValueSource(strings = {NOTICE, RECORD})
    void aPlainDocumentDecodesToItsGoldenCanonicalMessage(String path) throws Exception {
        Decoded.Canonical item = canonical(resource(path));

        JsonNode expected = CanonicalJson.mapper().readTree(resource(path.replace(".edxml", ".json")));
        assertThat(CanonicalJson.mapper().readTree(item.json())).isEqualTo(expected);
        assertThat(item.location()).isEqualTo(HEADER);
        valid(item.json());
    }

    /**
     * Plain → canonical → edXML (the lienthong profile) → canonical gives the same message. The
     * edXML written is not the province's document: its header is derived from the message (Subject
     * becomes "Thông báo vi phạm" + case reference, the facts block and the province's own files are
     * not written: the files stay in the original input, referenced by the message's attachments).
     */
    @ParameterizedTest
    @ValueSource(strings = {NOTICE, RECORD})
    void aPlainDocumentRoundTripsThroughTheProfileAsTheSameMessage(String path) throws Exception {
        ValidationResult.Valid first = valid(canonical(resource(path)).json());
        byte[] profile = connector().encode(first.message(), CanonicalJson.mapper().writeValueAsBytes(first.normalized()));
        Decoded.Canonical again = canonical(profile);
        assertThat(again.location()).isEqualTo("/edXML/AttachmentEncoded/Attachment");
        ValidationResult.Valid second = valid(again.json());

        assertThat(second.normalized()).isEqualTo(first.normalized());
        assertThat(second.message()).isEqualTo(first.message());
        String written = new String(profile, StandardCharsets.UTF_8);
        assertThat(written).doesNotContain("ViolationFacts");
        if (path.equals(RECORD)) {
            // The record's number and signer are the header's again.
            assertThat(written).contains("<edXML:CodeNumber>0231</edXML:CodeNumber>")
                    .contains("<edXML:CodeNotation>BB-VPHC</edXML:CodeNotation>")
                    .contains("<edXML:FullName>Nguyễn Văn Khánh</edXML:FullName>");
        }
    }

    @Test
    void theSameDocumentSentTwiceIsTheSameMessageAndAnotherDocumentIsAnother() throws Exception {
        JsonNode once = CanonicalJson.mapper().readTree(canonical(resource(NOTICE)).json());
        JsonNode twice = CanonicalJson.mapper().readTree(canonical(resource(NOTICE)).json());
        assertThat(once.path("messageId")).isEqualTo(twice.path("messageId"));
        String other = text(NOTICE).replace("2026/11/18,112/TB-QLTT</edXML:DocumentId>", "2026/11/18,113/TB-QLTT</edXML:DocumentId>");
        JsonNode another = CanonicalJson.mapper().readTree(canonical(other.getBytes(StandardCharsets.UTF_8)).json());
        assertThat(another.path("messageId")).isNotEqualTo(once.path("messageId"));
        // A UUID DocumentId is the messageId itself.
        assertThat(CanonicalJson.mapper().readTree(canonical(resource(RECORD)).json()).path("messageId").asText())
                .isEqualTo("5b0e8f7a-2c61-4a7e-9d0b-3f4c1a2b6d55");
    }

    @Test
    void withoutAFactsBlockTheViolatorCannotBeMappedAndTheRefusalSaysWhereToPutIt() throws Exception {
        String plain = text(NOTICE).replaceAll("(?s)<lt:ViolationFacts.*</lt:ViolationFacts>", "");
        Decoded.Failure f = failure(plain);
        assertThat(f.location()).isEqualTo(HEADER);
        assertThat(f.message()).startsWith("the document names no violator: a QCVN 102 header has no place for one;"
                + " add ViolationFacts/Person or ViolationFacts/Organization in https://schemas.lienthong.vn/edxml/v1");
    }

    @Test
    void aSubjectLineWithoutALegalTermNeedsCategoriesInTheFacts() throws Exception {
        String vague = text(NOTICE).replace("kinh doanh thuốc lá điếu nhập lậu", "kinh doanh thuốc lá điếu");
        Decoded.Failure f = failure(vague);
        assertThat(f.location()).isEqualTo(HEADER + "/Subject");
        assertThat(f.message()).startsWith("the Subject names no violation category in the terms of Decree 98/2020");

        String withCategory = vague.replace("<lt:Person>", "<lt:Category>UNKNOWN_ORIGIN</lt:Category>\n<lt:Person>");
        JsonNode m = CanonicalJson.mapper().readTree(canonical(withCategory.getBytes(StandardCharsets.UTF_8)).json());
        assertThat(m.at("/payload/categories").toString()).isEqualTo("[\"UNKNOWN_ORIGIN\"]");

        String several = text(NOTICE).replace("thuốc lá điếu nhập lậu", "thuốc lá điếu nhập lậu, hàng giả và HÀNG CẤM");
        m = CanonicalJson.mapper().readTree(canonical(several.getBytes(StandardCharsets.UTF_8)).json());
        assertThat(m.at("/payload/categories").toString()).isEqualTo("[\"COUNTERFEIT\",\"SMUGGLED\",\"PROHIBITED\"]");
    }

    @Test
    void whatCannotBeMappedIsRefusedWithTheXPathOfTheElement() throws Exception {
        String notice = text(NOTICE);
        Map<String, String[]> cases = Map.of(
                notice.replace("<edXML:OrganName>Tỉnh Ninh Bình</edXML:OrganName>", "<edXML:OrganName>Sở Công Thương tỉnh X</edXML:OrganName>"),
                new String[] {HEADER + "/From", "From names an organ this gateway does not know (OrganId (empty), OrganName"
                        + " 'Sở Công Thương tỉnh X'); the registry gives each agency's organ id and name"},
                notice.replace("<edXML:OrganName>Cục Hải quan, Bộ Tài chính</edXML:OrganName>", "<edXML:OrganName>Cục Thuế</edXML:OrganName>"),
                new String[] {HEADER + "/To[2]", "To names an organ this gateway does not know (OrganId (empty), OrganName"
                        + " 'Cục Thuế'); the registry gives each agency's organ id and name"},
                notice.replace("<edXML:CodeNumber>112</edXML:CodeNumber>", "<edXML:CodeNumber/>")
                        .replace("<edXML:CodeNotation>TB-QLTT</edXML:CodeNotation>", "<edXML:CodeNotation/>"),
                new String[] {HEADER + "/Code", "CodeNumber and CodeNotation are empty: the document's number is the notice's case reference"},
                notice.replace("<edXML:PromulgationDate>2026/11/18</edXML:PromulgationDate>", "<edXML:PromulgationDate>18/11/2026</edXML:PromulgationDate>"),
                new String[] {HEADER + "/PromulgationInfo/PromulgationDate", "PromulgationDate is not a date YYYY/MM/DD"},
                notice.replace("<edXML:PromulgationDate>2026/11/18</edXML:PromulgationDate>", "<edXML:PromulgationDate>2026/02/30</edXML:PromulgationDate>"),
                new String[] {HEADER + "/PromulgationInfo/PromulgationDate", "PromulgationDate is not a valid date"},
                notice.replace("<edXML:Priority>1</edXML:Priority>", "<edXML:Priority>9</edXML:Priority>"),
                new String[] {HEADER + "/OtherInfo/Priority", "Priority must be 0 (normal) to 4 (hỏa tốc hẹn giờ)"},
                notice.replace("2026/11/18 09:20:00", "18-11-2026 9:20"),
                new String[] {"/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/Timestamp", "Timestamp is not yyyy/MM/dd HH:mm:ss"},
                notice.replace("<lt:Person>", "<lt:Category>FAKE</lt:Category><lt:Person>"),
                new String[] {HEADER + "/ViolationFacts/Category", "Category 'FAKE' is not one of CONSUMER_RIGHTS, COUNTERFEIT,"
                        + " DIGITAL_PLATFORM, IP_INFRINGING, PROHIBITED, SMUGGLED, SUBSTANDARD, TAX_EVASION, UNKNOWN_ORIGIN"},
                notice.replace("<lt:Person>", "<lt:Note>x</lt:Note><lt:Person>"),
                new String[] {HEADER + "/ViolationFacts/Note", "element Note is not expected in ViolationFacts (DetectedAt, Category, Person, Organization)"},
                notice.replace("<lt:FullName>Trần Thị Mai Hương</lt:FullName>", ""),
                new String[] {HEADER + "/ViolationFacts/Person", "Person lacks FullName"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Decoded.Failure f = failure(c.getKey());
            assertThat(f.location()).as(c.getValue()[1]).isEqualTo(c.getValue()[0]);
            assertThat(f.message()).isEqualTo(c.getValue()[1]);
        }
        Decoded.Failure noSubject = failure(notice.replaceAll("<edXML:Subject>[^<]*</edXML:Subject>", "<edXML:Subject/>"));
        assertThat(noSubject.location()).isEqualTo(HEADER + "/Subject");
        Decoded.Failure badFile = failure(notice.replaceFirst("(?s)<ContentTransferEncoded>.*</ContentTransferEncoded>",
                "<ContentTransferEncoded>%PDF-not-base64</ContentTransferEncoded>"));
        assertThat(badFile.location()).isEqualTo("/edXML/AttachmentEncoded/Attachment/ContentTransferEncoded");
        assertThat(badFile.message()).isEqualTo("ContentTransferEncoded is not base64");
    }

    @Test
    void aValidationErrorOfAPlainDocumentNamesTheElementItCameFrom() throws Exception {
        // A CCCD of 11 digits: the validator's pointer is canonical, the connector names the element.
        String wrong = text(NOTICE).replace("<lt:Cccd>035190004321</lt:Cccd>", "<lt:Cccd>03519000432</lt:Cccd>");
        Decoded.Canonical item = canonical(wrong.getBytes(StandardCharsets.UTF_8));
        List<ValidationError> errors = VALIDATOR.validate(item.json()).errors();
        assertThat(errors).isNotEmpty();
        ValidationError cccd = errors.stream().filter(e -> e.pointer().startsWith("/payload/subjects/0")).findFirst()
                .orElseThrow(() -> new AssertionError(errors.toString()));
        assertThat(connector().nativeLocation(item, cccd.pointer()))
                .startsWith(HEADER + "/ViolationFacts/Person");
        assertThat(connector().nativeLocation(item, "/payload/subjects/0/cccd")).isEqualTo(HEADER + "/ViolationFacts/Person/Cccd");
        assertThat(connector().nativeLocation(item, "/recipients/1")).isEqualTo(HEADER + "/To[2]");
        assertThat(connector().nativeLocation(item, "/payload/description")).isEqualTo(HEADER + "/Subject");
        // Nothing in the document for it: the canonical pointer stays.
        assertThat(connector().nativeLocation(item, "/payload/goods/0")).isEqualTo("/payload/goods/0");
    }

    @Test
    void aPlainDocumentGoesThroughTheSameHardenedParser() {
        String xxe = text(NOTICE).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n")
                .replace("<lt:FullName>Trần Thị Mai Hương</lt:FullName>", "<lt:FullName>&x;</lt:FullName>");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode(connector(), xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(vn.lienthong.connectors.spi.DecodeException.class)
                .hasMessageContaining("a DOCTYPE (DTD) is not allowed");
    }

    @Test
    void aFileNameCannotClimbOutOfItsPlaceAndFactsCannotBeGivenTwice() throws Exception {
        String climbing = text(NOTICE).replace("<AttachmentName>112-TB-QLTT.pdf</AttachmentName>",
                "<AttachmentName>../../etc/cron.d/x.pdf</AttachmentName>");
        JsonNode m = CanonicalJson.mapper().readTree(canonical(climbing.getBytes(StandardCharsets.UTF_8)).json());
        assertThat(m.at("/attachments/0/name").asText()).isEqualTo(".._.._etc_cron.d_x.pdf");

        String twice = text(NOTICE).replaceAll("(?s)(<lt:ViolationFacts.*</lt:ViolationFacts>)", "$1$1");
        Decoded.Failure f = failure(twice);
        assertThat(f.location()).isEqualTo(HEADER + "/ViolationFacts[2]");
        assertThat(f.message()).isEqualTo("ViolationFacts appears more than once");
    }
}
