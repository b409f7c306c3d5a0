package vn.lienthong.connectors.police;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/** Validation errors of a police message name the police member: Connector.nativeLocation over the profile's shapes. */
class PoliceCaseJsonNativeLocationTest {

    static Decoded.Canonical decode(byte[] json) throws Exception {
        List<Decoded> items = new ArrayList<>();
        PoliceTestSupport.CONNECTOR.decode(new ByteArrayInputStream(json), "test.json", items::add);
        assertThat(items).hasSize(1).first().isInstanceOf(Decoded.Canonical.class);
        return (Decoded.Canonical) items.get(0);
    }

    @Test
    void aWrongCccdIsNamedByItsPoliceMember() throws Exception {
        String json = new String(PoliceTestSupport.bytes("formats/police-case-json/examples/freeze.request-freeze-cpc129.json"),
                StandardCharsets.UTF_8);
        String cccd = json.replaceAll("(?s).*\"so_cccd\"\\s*:\\s*\"([0-9]+)\".*", "$1");
        assertThat(cccd).matches("[0-9]{12}");
        Decoded.Canonical item = decode(json.replace("\"" + cccd + "\"", "\"12345\"").getBytes(StandardCharsets.UTF_8));
        List<ValidationError> errors = PoliceTestSupport.VALIDATOR.validate(item.json()).errors();
        ValidationError wrong = errors.stream().filter(e -> e.code() == ErrorCode.INVALID_CCCD).findFirst()
                .orElseThrow(() -> new AssertionError(errors.toString()));
        assertThat(PoliceTestSupport.CONNECTOR.nativeLocation(item, wrong.pointer()))
                .isEqualTo("/noi_dung/tai_khoan/chu_tai_khoan/so_cccd");
    }

    @Test
    void headersListsAndSubjectsAreWalked() throws Exception {
        Decoded.Canonical item = decode(PoliceTestSupport.bytes(
                "formats/police-case-json/examples/violation.notice-counterfeit-cosmetics-shopee.json"));
        PoliceCaseJsonConnector c = PoliceTestSupport.CONNECTOR;
        assertThat(c.nativeLocation(item, "/recipients/1")).isEqualTo("/thong_tin_chung/don_vi_nhan/1");
        assertThat(c.nativeLocation(item, "/schemaVersion")).isEqualTo("/phien_ban");
        assertThat(c.nativeLocation(item, "/payload/subjects/0/kind")).isEqualTo("/noi_dung/doi_tuong/0/loai_doi_tuong");
        String kind = PoliceTestSupport.tree(item.json()).at("/payload/subjects/0/kind").asText();
        assertThat(c.nativeLocation(item, "/payload/subjects/0/taxCode")).isEqualTo("/noi_dung/doi_tuong/0/ma_so_thue");
        assertThat(c.nativeLocation(item, "/payload/subjects/0/" + (kind.equals("person") ? "fullName" : "name")))
                .isEqualTo("/noi_dung/doi_tuong/0/" + (kind.equals("person") ? "ho_ten" : "ten_to_chuc"));
        assertThat(c.nativeLocation(item, "/payload/categories/0")).isEqualTo("/noi_dung/loai_vi_pham/0");
        assertThat(c.nativeLocation(item, "/payload/unknown/3")).isEqualTo("/noi_dung");
        assertThat(c.nativeLocation(item, "")).isEqualTo("");
    }
}
