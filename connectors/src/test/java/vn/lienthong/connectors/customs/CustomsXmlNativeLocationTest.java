package vn.lienthong.connectors.customs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.sbv.SbvFreezeXmlConnector;
import vn.lienthong.connectors.xml.XmlTestSupport;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/** Validation errors of an XML profile's message name the element: Connector.nativeLocation over the mapping tables. */
class CustomsXmlNativeLocationTest {

    static Decoded.Canonical decode(vn.lienthong.connectors.spi.Connector connector, String xml) throws Exception {
        List<Decoded> items = new ArrayList<>();
        connector.decode(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.xml", items::add);
        assertThat(items).hasSize(1).first().isInstanceOf(Decoded.Canonical.class);
        return (Decoded.Canonical) items.get(0);
    }

    static String resource(String path) throws Exception {
        try (var in = CustomsXmlNativeLocationTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aWrongTaxCodeIsNamedByItsElement() throws Exception {
        CustomsXmlConnector connector = new CustomsXmlConnector();
        String xml = resource("formats/customs-xml/examples/thong-bao-vi-pham-tu-tinh-ninh-binh.xml")
                .replace("<MaSoThue>035190004321</MaSoThue>", "<MaSoThue>0100233480</MaSoThue>");
        Decoded.Canonical item = decode(connector, xml);
        List<ValidationError> errors = XmlTestSupport.validator().validate(item.json()).errors();
        ValidationError taxCode = errors.stream().filter(e -> e.code() == ErrorCode.INVALID_TAX_CODE).findFirst()
                .orElseThrow(() -> new AssertionError(errors.toString()));
        assertThat(taxCode.pointer()).isEqualTo("/payload/subjects/0/taxCode");
        assertThat(connector.nativeLocation(item, taxCode.pointer()))
                .isEqualTo("/ThongBaoViPham/DanhSachDoiTuong/DoiTuong[1]/CaNhan/MaSoThue");
    }

    @Test
    void everyKindOfStepIsWalked() throws Exception {
        CustomsXmlConnector connector = new CustomsXmlConnector();
        Decoded.Canonical item = decode(connector, resource("formats/customs-xml/examples/thong-bao-vi-pham-tu-tinh-ninh-binh.xml"));
        assertThat(connector.nativeLocation(item, "/recipients/2")).isEqualTo("/ThongBaoViPham/ThongTinChung/DanhSachNoiNhan/NoiNhan[3]");
        assertThat(connector.nativeLocation(item, "/messageId")).isEqualTo("/ThongBaoViPham/ThongTinChung/MaThongDiep");
        assertThat(connector.nativeLocation(item, "/payload/subjects/1/address/province/original/name"))
                .isEqualTo("/ThongBaoViPham/DanhSachDoiTuong/DoiTuong[2]/CaNhan/DiaChi/TinhThanh/GiaTriGoc/Ten");
        assertThat(connector.nativeLocation(item, "/payload/categories")).isEqualTo("/ThongBaoViPham/DanhSachLoaiViPham");
        assertThat(connector.nativeLocation(item, "/payload/record/signer/fullName"))
                .isEqualTo("/ThongBaoViPham/BienBan/NguoiKy/HoTen");
        // kind is the element itself; the whole message is the root; an unknown member stops at its parent.
        assertThat(connector.nativeLocation(item, "/payload/subjects/0/kind"))
                .isEqualTo("/ThongBaoViPham/DanhSachDoiTuong/DoiTuong[1]/CaNhan");
        assertThat(connector.nativeLocation(item, "")).isEqualTo("/ThongBaoViPham");
        assertThat(connector.nativeLocation(item, "/payload/nothing")).isEqualTo("/ThongBaoViPham");
    }

    @Test
    void theSbvProfileToo() throws Exception {
        SbvFreezeXmlConnector connector = new SbvFreezeXmlConnector();
        String xml = resource("formats/sbv-freeze-xml/examples/yeu-cau-phong-toa.xml");
        Decoded.Canonical item = decode(connector, xml);
        assertThat(connector.nativeLocation(item, "/payload/account/holder/cccd"))
                .isEqualTo("/YeuCauPhongToa/TaiKhoan/ChuTaiKhoan/SoDinhDanh");
        assertThat(connector.nativeLocation(item, "/payload/decision/number")).isEqualTo("/YeuCauPhongToa/QuyetDinh/SoHieu");
    }
}
