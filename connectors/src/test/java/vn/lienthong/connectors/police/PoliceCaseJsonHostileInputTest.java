package vn.lienthong.connectors.police;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.lienthong.connectors.police.PoliceTestSupport.CONNECTOR;
import static vn.lienthong.connectors.police.PoliceTestSupport.bytes;
import static vn.lienthong.connectors.police.PoliceTestSupport.decodeCanonical;
import static vn.lienthong.connectors.police.PoliceTestSupport.decodeOne;
import static vn.lienthong.connectors.police.PoliceTestSupport.stream;
import static vn.lienthong.connectors.police.PoliceTestSupport.tree;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.ValidationResult;

/** Inputs a hostile or careless sender may produce: each refused with a clear error naming where. */
class PoliceCaseJsonHostileInputTest {

    private static final String GOLDEN = PoliceTestSupport.FORMAT_DIR + "examples/freeze.request-freeze-cpc129.json";

    /** The CCCD and account number of the golden file: they must never appear in an error. */
    private static final List<String> IDENTIFIERS = List.of("001085012345", "0011004123456", "Nguyễn Văn Khải");

    private static DecodeException refused(byte[] input) {
        List<Decoded> items = new ArrayList<>();
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> CONNECTOR.decode(stream(input), "kafka:police.in/0@42", items::add));
        assertThat(thrown).isInstanceOf(DecodeException.class);
        assertThat(items).as("nothing is handed on for an unreadable input").isEmpty();
        DecodeException e = (DecodeException) thrown;
        assertNoIdentifiers(e.getMessage());
        return e;
    }

    private static Decoded.Failure failure(byte[] input) throws Exception {
        Decoded item = decodeOne(input);
        assertThat(item).isInstanceOf(Decoded.Failure.class);
        Decoded.Failure f = (Decoded.Failure) item;
        assertNoIdentifiers(f.message());
        return f;
    }

    private static void assertNoIdentifiers(String message) {
        for (String id : IDENTIFIERS) {
            assertThat(message).doesNotContain(id);
        }
    }

    private static ObjectNode golden() {
        return (ObjectNode) tree(bytes(GOLDEN));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(ObjectNode node) {
        return utf8(node.toString());
    }

    @Test
    void notJson() {
        DecodeException e = refused(utf8("phong toa tai khoan 0011004123456"));
        assertThat(e.location()).isEmpty();
        assertThat(e.getMessage()).startsWith("not valid JSON").contains("line 1, column");
    }

    @Test
    void bareWordIsNotQuotedBack() {
        DecodeException e = refused(utf8("{\"phien_ban\": \"1.0\", \"noi_dung\": {\"so_cccd\": 001085012345x}}"));
        assertThat(e.getMessage()).contains("not valid JSON").contains("line 1");
        assertThat(e.location()).isEqualTo("/noi_dung/so_cccd");
    }

    @Test
    void truncated() {
        byte[] whole = bytes(GOLDEN);
        int cut = new String(whole, StandardCharsets.ISO_8859_1).indexOf("\"so_tien\"");
        DecodeException e = refused(Arrays.copyOf(whole, cut));
        assertThat(e.getMessage()).startsWith("not valid JSON").contains("end-of-input").contains("line 47");
        assertThat(e.location()).isEqualTo("/noi_dung/tai_khoan");
    }

    @Test
    void truncatedInsideACharacter() {
        byte[] whole = bytes(GOLDEN);
        int at = new String(whole, StandardCharsets.ISO_8859_1).indexOf("Tr") + 2; // "Trần": ầ is 3 bytes
        DecodeException e = refused(Arrays.copyOf(whole, at + 1));
        assertThat(e.getMessage()).isEqualTo("the message is cut short: it ends inside a UTF-8 character (offset "
                + at + ")");
    }

    @Test
    void tenThousandLevelsOfNesting() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        DecodeException e = refused(utf8("{\"phien_ban\":\"1.0\",\"noi_dung\":{\"ghi_chu\":" + deep + "}}"));
        assertThat(e.getMessage()).contains("nested deeper than 64").contains("line 1, column");
        assertThat(e.location()).startsWith("/noi_dung/ghi_chu/0/0/0");
    }

    @Test
    void sixtyFourLevelsAreRead() throws Exception {
        // The message counts as level 1; 62 more arrays inside noi_dung.ghi_chu make 64.
        String deep = "[".repeat(62) + "]".repeat(62);
        Decoded.Failure f = failure(utf8("{\"phien_ban\":\"1.0\",\"thong_tin_chung\":{\"loai_thong_diep\":"
                + "\"BAO_CAO_PHONG_TOA\"},\"noi_dung\":{\"ghi_chu\":" + deep + "}}"));
        assertThat(f.location()).isEqualTo("/noi_dung/ghi_chu");
        assertThat(f.message()).contains("unknown member 'ghi_chu'");
    }

    @Test
    void invalidUtf8() {
        byte[] good = bytes(GOLDEN);
        byte[] bad = Arrays.copyOf(good, good.length);
        int at = new String(good, StandardCharsets.ISO_8859_1).indexOf("\"ly_do\": \"P") + "\"ly_do\": \"".length();
        bad[at] = (byte) 0xFF; // never a byte of UTF-8
        DecodeException e = refused(bad);
        assertThat(e.getMessage()).contains("not well-formed UTF-8").contains("offset " + at);
        assertThat(e.location()).isEmpty();
    }

    @Test
    void duplicateKeys() {
        String text = new String(bytes(GOLDEN), StandardCharsets.UTF_8)
                .replace("\"so_tien\": 1250000000,", "\"so_tien\": 1250000000, \"so_tien\": 2500000000,");
        DecodeException e = refused(utf8(text));
        assertThat(e.getMessage()).contains("'so_tien' appears twice").contains("line");
        assertThat(e.location()).isEqualTo("/noi_dung/so_tien");
    }

    @Test
    void unknownCode() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung")).put("bien_phap", "KHOANH_GIU");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/noi_dung/bien_phap");
        assertThat(f.message()).isEqualTo(
                "unknown code 'KHOANH_GIU' for bien_phap; allowed: PHONG_TOA, TAM_DUNG_GIAO_DICH, GIAI_TOA");
    }

    @Test
    void unknownCodeThatLooksLikeAnIdentifierIsNotQuoted() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung").path("quyet_dinh").path("can_cu_ap_dung")).put("ma_can_cu", "001085012345");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/noi_dung/quyet_dinh/can_cu_ap_dung/ma_can_cu");
        assertThat(f.message()).startsWith("unknown code for ma_can_cu; allowed: BLTTHS_2015_D129,");
    }

    @Test
    void wrongType() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung")).put("so_tien", "1.250.000.000");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/noi_dung/so_tien");
        assertThat(f.message()).isEqualTo("expected a whole number, found a string");
    }

    @Test
    void wrongTypeOfAnObjectAndOfAList() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung")).put("tai_khoan", "0011004123456");
        ((ObjectNode) message.path("thong_tin_chung")).put("don_vi_nhan", "SBV");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/thong_tin_chung/don_vi_nhan");
        assertThat(f.message()).isEqualTo("expected an array, found a string (1 more problem: "
                + "/noi_dung/tai_khoan: expected an object (tai_khoan), found a string)");
    }

    @Test
    void fractionalAmount() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung")).put("so_tien", new java.math.BigDecimal("1250000000.5"));
        Decoded.Failure f = failure(json(message));
        assertThat(f.message()).isEqualTo("expected a whole number, found a number with a fraction");
    }

    @Test
    void unknownMemberNamesTheAllowedOnes() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung").path("tai_khoan").path("chu_tai_khoan")).put("so_cmnd", "012345678");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/noi_dung/tai_khoan/chu_tai_khoan/so_cmnd");
        assertThat(f.message()).isEqualTo("unknown member 'so_cmnd' in chu_tai_khoan; its members are "
                + "ho_ten, so_cccd, ma_so_thue, nam_sinh");
    }

    @Test
    void subjectWithoutItsKindAndWithAnotherKindsMembers() throws Exception {
        ObjectNode message = (ObjectNode) tree(bytes(PoliceTestSupport.FORMAT_DIR
                + "examples/info.request-c03-account-transactions.json"));
        ObjectNode subject = (ObjectNode) message.path("noi_dung").path("doi_tuong").path(0);
        subject.remove("loai_doi_tuong");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/noi_dung/doi_tuong/0/loai_doi_tuong");
        assertThat(f.message()).contains("missing loai_doi_tuong").contains("CA_NHAN, TO_CHUC");

        subject.put("loai_doi_tuong", "TO_CHUC");
        f = failure(json(message));
        assertThat(f.location()).isEqualTo("/noi_dung/doi_tuong/0/ho_ten");
        assertThat(f.message()).contains("unknown member 'ho_ten' in to_chuc; its members are loai_doi_tuong, ten_to_chuc,");
    }

    @Test
    void unknownOrMissingMessageKind() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("thong_tin_chung")).put("loai_thong_diep", "YEU_CAU_GO_BO");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/thong_tin_chung/loai_thong_diep");
        assertThat(f.message()).contains("unknown code 'YEU_CAU_GO_BO' for loai_thong_diep; allowed: THONG_BAO_VI_PHAM,");

        ((ObjectNode) message.path("thong_tin_chung")).remove("loai_thong_diep");
        f = failure(json(message));
        assertThat(f.location()).isEqualTo("/thong_tin_chung/loai_thong_diep");
        assertThat(f.message()).startsWith("missing loai_thong_diep");
    }

    @Test
    void profileVersionAndTopLevel() throws Exception {
        ObjectNode message = golden();
        message.put("phien_ban", "2.0");
        message.put("chu_ky", "...");
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/chu_ky");
        assertThat(f.message()).contains("unknown member 'chu_ky' in the message; its members are phien_ban, "
                + "thong_tin_chung, noi_dung").contains("/phien_ban: unsupported profile version");

        message = golden();
        message.remove("noi_dung");
        message.remove("phien_ban");
        f = failure(json(message));
        assertThat(f.location()).isEqualTo("/phien_ban");
        assertThat(f.message()).contains("/noi_dung: missing noi_dung");
    }

    @Test
    void emptyBlankTopLevelArrayAndTrailingContent() {
        assertThat(refused(new byte[0]).getMessage()).isEqualTo("the message is empty");
        assertThat(refused(utf8(" \n\t")).getMessage()).isEqualTo("the message holds only white space");
        assertThat(refused(utf8("[{\"phien_ban\":\"1.0\"}]")).getMessage())
                .isEqualTo("a police message is a JSON object, not an array");
        assertThat(refused(utf8("{\"phien_ban\":\"1.0\"} {\"phien_ban\":\"1.0\"}")).getMessage())
                .startsWith("not valid JSON");
    }

    @Test
    void moreThanFiveMegabytes() {
        byte[] big = new byte[PoliceCaseJsonConnector.MAX_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        DecodeException e = refused(big);
        assertThat(e.location()).isEmpty();
        assertThat(e.getMessage()).contains("larger than 5242880 bytes");
    }

    @Test
    void aByteOrderMarkIsSkipped() throws Exception {
        byte[] golden = bytes(GOLDEN);
        byte[] withBom = new byte[golden.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(golden, 0, withBom, 3, golden.length);
        assertThat(tree(decodeCanonical(withBom))).isEqualTo(tree(decodeCanonical(golden)));
    }

    /** A state secret is handed to the validator, which refuses it with its own stable code. */
    @Test
    void stateSecretIsRefusedByTheGatewayWithItsOwnCode() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("thong_tin_chung")).put("do_mat", "TOI_MAT");
        byte[] canonical = decodeCanonical(json(message));
        ValidationResult result = PoliceTestSupport.VALIDATOR.validate(canonical);
        assertThat(result.errors()).extracting(e -> e.code() + " " + e.pointer())
                .containsExactly(ErrorCode.STATE_SECRET_NOT_ALLOWED + " /classification");
    }

    /** What the profile leaves to the validator: required members, formats, identifiers. */
    @Test
    void missingRequiredMembersAreTheValidatorsToReport() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung")).remove("quyet_dinh");
        ((ObjectNode) message.path("noi_dung").path("tai_khoan").path("chu_tai_khoan")).put("so_cccd", "00108501234");
        byte[] canonical = decodeCanonical(json(message));
        ValidationResult result = PoliceTestSupport.VALIDATOR.validate(canonical);
        assertThat(result.errors()).extracting(e -> e.code() + " " + e.pointer()).containsExactly(
                ErrorCode.INVALID_CCCD + " /payload/account/holder/cccd",
                ErrorCode.FREEZE_DECISION_REQUIRED + " /payload/decision");
    }

    @Test
    void nullMembersAreAbsent() throws Exception {
        ObjectNode message = golden();
        ((ObjectNode) message.path("noi_dung")).putNull("giao_dich");
        assertThat(tree(decodeCanonical(json(message)))).isEqualTo(tree(decodeCanonical(bytes(GOLDEN))));
    }

    @Test
    void manyProblemsAreSummarizedAndBounded() throws Exception {
        ObjectNode message = golden();
        ObjectNode body = (ObjectNode) message.path("noi_dung");
        for (int i = 0; i < 30; i++) {
            body.put("thua_" + i, i);
        }
        Decoded.Failure f = failure(json(message));
        assertThat(f.location()).isEqualTo("/noi_dung/thua_0");
        assertThat(f.message()).contains("(29 more problems: /noi_dung/thua_1:").endsWith("; ...)");
    }

    @Test
    void encodingRefusesTypesAndMembersTheProfileDoesNotCarry() {
        byte[] takedown = bytes("lienthong/examples/v1/takedown.request/valid-cigarettes-tiktok.json");
        ValidationResult.Valid valid = PoliceTestSupport.valid(takedown, "takedown");
        assertThatThrownBy(() -> CONNECTOR.encode(valid.message(), takedown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 'takedown.request'");

        ObjectNode canonical = (ObjectNode) tree(bytes("lienthong/examples/v1/freeze.request/valid-freeze-cpc129.json"));
        ((ObjectNode) canonical.path("payload")).put("priorityLane", "A");
        assertThatThrownBy(() -> CONNECTOR.encode(null, json(canonical)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/payload/priorityLane")
                .hasMessageContaining("unknown member 'priorityLane' in noi_dung_yeu_cau_phong_toa");
    }
}
