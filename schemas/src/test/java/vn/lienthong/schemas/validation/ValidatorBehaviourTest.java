package vn.lienthong.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.v1.FreezeRequest;

/** What the validator does to accepted input, and how it reports refused input. */
class ValidatorBehaviourTest {

    private static final MessageValidator VALIDATOR = Examples.validator();

    private static ObjectNode example(String type, String name) throws Exception {
        Path p = Examples.ROOT.resolve(type).resolve(name);
        return (ObjectNode) CanonicalJson.mapper().readTree(Examples.bytes(p));
    }

    private static ValidationResult validate(ObjectNode doc) throws Exception {
        return VALIDATOR.validate(CanonicalJson.mapper().writeValueAsBytes(doc));
    }

    @Test
    void decomposedVietnameseIsStoredInNfc() throws Exception {
        ObjectNode doc = example("freeze.request", "valid-freeze-cpc129.json");
        String decomposed = Normalizer.normalize("Nguyễn Văn Khải", Normalizer.Form.NFD);
        assertThat(decomposed).isNotEqualTo("Nguyễn Văn Khải");
        ((ObjectNode) doc.at("/payload/account/holder")).put("fullName", decomposed);
        ValidationResult.Valid valid = (ValidationResult.Valid) validate(doc);
        FreezeRequest request = (FreezeRequest) valid.message().payload();
        assertThat(request.account().holder().fullName()).isEqualTo("Nguyễn Văn Khải");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mật", "MẬT", "mat", "Tối mật", "toi_mat", "TỐI-MẬT", "Tuyệt mật", "tuyet mat", "Top Secret",
        "SECRET", "confidential"})
    void stateSecretLevelsAreRefusedWhateverTheSpelling(String level) throws Exception {
        ObjectNode doc = example("freeze.request", "valid-freeze-cpc129.json");
        doc.put("classification", Normalizer.normalize(level, Normalizer.Form.NFD));
        ValidationResult.Invalid r = (ValidationResult.Invalid) validate(doc);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STATE_SECRET_NOT_ALLOWED);
            assertThat(e.pointer()).isEqualTo("/classification");
        });
    }

    @Test
    void anUnknownClassificationIsASchemaError() throws Exception {
        ObjectNode doc = example("freeze.request", "valid-freeze-cpc129.json");
        doc.put("classification", "matter");
        assertThat(((ValidationResult.Invalid) validate(doc)).codes()).containsExactly(ErrorCode.SCHEMA_ENUM);
    }

    @Test
    void everyErrorIsReportedAtOnce() throws Exception {
        ObjectNode doc = example("freeze.request", "valid-freeze-cpc129.json");
        doc.put("type", "freeze.requests");
        doc.put("schemaVersion", "2.0");
        doc.put("classification", "Tuyệt mật");
        doc.remove("createdAt");
        ValidationResult.Invalid r = (ValidationResult.Invalid) validate(doc);
        assertThat(r.errors()).extracting(e -> e.code() + " " + e.pointer()).containsExactly(
                "STATE_SECRET_NOT_ALLOWED /classification",
                "SCHEMA_REQUIRED /createdAt",
                "UNSUPPORTED_SCHEMA_VERSION /schemaVersion",
                "UNKNOWN_MESSAGE_TYPE /type");
    }

    @Test
    void aBranchTaxCodeIsNormalizedToTheHyphenForm() throws Exception {
        ObjectNode doc = example("freeze.request", "valid-delay-aml44.json");
        ((ObjectNode) doc.at("/payload/account/holder")).put("taxCode", "0100233488001");
        ValidationResult.Valid valid = (ValidationResult.Valid) validate(doc);
        assertThat(((FreezeRequest) valid.message().payload()).account().holder().taxCode()).isEqualTo("0100233488-001");
    }

    @Test
    void errorMessagesNeverRepeatPersonalIdentifiers() throws Exception {
        ObjectNode doc = example("freeze.request", "valid-freeze-cpc129.json");
        ObjectNode holder = (ObjectNode) doc.at("/payload/account/holder");
        holder.put("cccd", "099285012345");
        holder.put("taxCode", "0100233480");
        ValidationResult.Invalid r = (ValidationResult.Invalid) validate(doc);
        assertThat(r.codes()).contains(ErrorCode.INVALID_CCCD, ErrorCode.INVALID_TAX_CODE);
        assertThat(r.errors()).allSatisfy(e -> {
            assertThat(e.message()).doesNotContain("099285012345").doesNotContain("0100233480");
        });
    }

    @Test
    void aParsedTreeIsValidatedWithoutBeingChanged() throws Exception {
        ObjectNode doc = example("freeze.request", "valid-freeze-cpc129.json");
        ObjectNode before = doc.deepCopy();
        assertThat(VALIDATOR.validate(doc).valid()).isTrue();
        assertThat(doc).isEqualTo(before);
    }

    private static java.util.List<String> errorsOf(ObjectNode doc) throws Exception {
        return validate(doc).errors().stream().map(e -> e.code() + " " + e.pointer()).toList();
    }

    @Test
    void aPersonWithoutAnyIdentifierIsOneAnyOfError() throws Exception {
        ObjectNode doc = example("violation.notice", "valid-counterfeit-cosmetics-shopee.json");
        ObjectNode person = (ObjectNode) doc.at("/payload/subjects/0");
        person.remove(java.util.List.of("cccd", "taxCode", "passport"));
        person.put("kind", "person");
        ValidationResult.Invalid r = (ValidationResult.Invalid) validate(doc);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_ANY_OF);
            assertThat(e.pointer()).isEqualTo("/payload/subjects/0");
            assertThat(e.message()).contains("one of cccd, taxCode, passport");
        });
    }

    @Test
    void wholeNumbersWrittenWithAFractionAreIntegers() throws Exception {
        ObjectNode doc = example("report.periodic", "valid-province-october.json");
        ((ObjectNode) doc.at("/payload/totals")).put("finesVnd", new java.math.BigDecimal("5620000000.0"));
        ((ObjectNode) doc.at("/payload/totals")).put("casesDetected", 12.5);
        assertThat(errorsOf(doc)).containsExactly("REPORT_FIGURE_INVALID /payload/totals/casesDetected");
        ((ObjectNode) doc.at("/payload/totals")).put("casesDetected", 12);
        ValidationResult.Valid valid = (ValidationResult.Valid) validate(doc);
        var totals = ((vn.lienthong.schemas.v1.PeriodicReport) valid.message().payload()).totals();
        assertThat(totals.finesVnd()).isEqualTo(5_620_000_000L);
    }

    @Test
    void aReportMayUseTheDecree09ReportingMonth() throws Exception {
        ObjectNode doc = example("report.periodic", "valid-province-october.json");
        ObjectNode period = (ObjectNode) doc.at("/payload/period");
        period.put("from", "2026-09-15").put("to", "2026-10-14");
        assertThat(errorsOf(doc)).isEmpty();
        period.put("from", "2026-09-15").put("to", "2026-10-15");
        assertThat(errorsOf(doc)).containsExactly("REPORT_PERIOD_NOT_ONE_MONTH /payload/period");
    }

    @Test
    void urlsMustBeAbsoluteHttpButMayBeInVietnameseScript() throws Exception {
        ObjectNode doc = example("violation.notice", "valid-counterfeit-cosmetics-shopee.json");
        ObjectNode shop = (ObjectNode) doc.at("/payload/shop");
        shop.put("url", "https://mỹphẩmhàn.vn/shop_01?id=7");
        assertThat(errorsOf(doc)).isEmpty();
        for (String bad : java.util.List.of("shopee.vn/linhbeauty", "ftp://shopee.vn/x", "https:///x", "https://a b.vn/")) {
            shop.put("url", bad);
            assertThat(errorsOf(doc)).as(bad).containsExactly("INVALID_URL /payload/shop/url");
        }
    }

    @Test
    void aCaseFileNamesOnlyAttachmentsItCarries() throws Exception {
        ObjectNode doc = example("case.transfer", "valid-counterfeit-cosmetics-to-c03.json");
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.at("/payload/caseFile")).add("khong-co.pdf");
        int last = doc.at("/payload/caseFile").size() - 1;
        assertThat(errorsOf(doc)).containsExactly("UNKNOWN_ATTACHMENT /payload/caseFile/" + last);
    }

    @Test
    void aReportAnswersTheRequestItsEnvelopeNames() throws Exception {
        ObjectNode doc = example("freeze.report", "valid-delay-executed.json");
        ((ObjectNode) doc.at("/payload")).put("request", "6f1c2a9e-3b4d-4e5f-8a6b-7c8d9e0f1a2b");
        assertThat(errorsOf(doc)).containsExactly("IN_REPLY_TO_MISMATCH /payload/request");
    }

    @Test
    void aPeriodEndsAfterItStartsAndAnAnonymousShopCanBeAskedAbout() throws Exception {
        ObjectNode doc = example("info.request", "valid-seller-data-from-platforms.json");
        doc.with("payload").remove("subjects");
        assertThat(errorsOf(doc)).isEmpty();
        doc.with("payload").remove("listings");
        assertThat(errorsOf(doc)).containsExactly("SCHEMA_ANY_OF /payload");
        doc = example("info.request", "valid-seller-data-from-platforms.json");
        doc.with("payload").putObject("period").put("from", "2026-10-31").put("to", "2026-10-01");
        assertThat(errorsOf(doc)).containsExactly("PERIOD_INVALID /payload/period");
    }
}
