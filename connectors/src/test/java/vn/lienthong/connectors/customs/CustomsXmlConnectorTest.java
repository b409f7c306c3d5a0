package vn.lienthong.connectors.customs;

import java.util.List;
import vn.lienthong.connectors.xml.XmlConnector;
import vn.lienthong.connectors.xml.XmlConnectorContract;

/** customs-xml against the XML connector contract, with customs-specific invalid documents. */
class CustomsXmlConnectorTest extends XmlConnectorContract {

    private final CustomsXmlConnector connector = new CustomsXmlConnector();

    @Override
    protected XmlConnector connector() {
        return connector;
    }

    @Override
    protected List<String> canonicalTypes() {
        return List.of("violation.notice", "info.request", "info.response");
    }

    @Override
    protected String sampleExample() {
        return "thong-bao-vi-pham-thu-giu-hang-nhap-lau.xml";
    }

    @Override
    protected String foreignRoot() {
        return "YeuCauPhongToa";
    }

    @Override
    protected List<Mutation> mutations() {
        return List.of(
                new Mutation("missing case reference",
                        replaceOnce("<MaVuViec>HQ-KVVIII-2026-0517</MaVuViec>", ""),
                        "/ThongBaoViPham/ThoiDiemPhatHien", "MaVuViec", null),
                new Mutation("person without a name",
                        replaceOnce("<HoTen>Phạm Văn Toàn</HoTen>", ""),
                        "/ThongBaoViPham/DanhSachDoiTuong/DoiTuong[2]/CaNhan/SoDinhDanh", "HoTen", null),
                new Mutation("value with thousands separators",
                        replaceOnce("<TriGiaUocTinh>276000000</TriGiaUocTinh>", "<TriGiaUocTinh>276.000.000</TriGiaUocTinh>"),
                        "/ThongBaoViPham/DanhSachHangHoa/HangHoa[1]/TriGiaUocTinh", "'integer'", "276.000.000"),
                new Mutation("date as dd/MM/yyyy",
                        replaceOnce("<NgayBanHanh>2026-11-18</NgayBanHanh>", "<NgayBanHanh>18/11/2026</NgayBanHanh>"),
                        "/ThongBaoViPham/BienBan/NgayBanHanh", "Ngay", null),
                new Mutation("time without offset",
                        replaceOnce("<ThoiDiemPhatHien>2026-11-18T05:40:00+07:00</ThoiDiemPhatHien>",
                                "<ThoiDiemPhatHien>2026-11-18T05:40:00</ThoiDiemPhatHien>"),
                        "/ThongBaoViPham/ThoiDiemPhatHien", "ThoiDiem", null),
                new Mutation("unknown category code",
                        replaceOnce("<LoaiViPham>HangNhapLau</LoaiViPham>", "<LoaiViPham>Smuggled</LoaiViPham>"),
                        "/ThongBaoViPham/DanhSachLoaiViPham/LoaiViPham[1]", "enumeration", null),
                new Mutation("CCCD of 11 digits and a letter, value withheld",
                        replaceOnce("<SoDinhDanh>022088001234</SoDinhDanh>", "<SoDinhDanh>02208800123X</SoDinhDanh>"),
                        "/ThongBaoViPham/DanhSachDoiTuong/DoiTuong[2]/CaNhan/SoDinhDanh", "SoDinhDanh", "02208800123X"),
                new Mutation("person and organization in one subject",
                        replaceOnce("<DoiTuong>\n      <CaNhan>\n        <HoTen>LI WEI",
                                "<DoiTuong>\n      <ToChuc><Ten>X</Ten></ToChuc>\n      <CaNhan>\n        <HoTen>LI WEI"),
                        "/ThongBaoViPham/DanhSachDoiTuong/DoiTuong[3]/CaNhan", "CaNhan", null),
                new Mutation("elements out of order",
                        replaceOnce("<PhienBan>1.0</PhienBan>\n    <NoiGui>MOF.CUSTOMS</NoiGui>",
                                "<NoiGui>MOF.CUSTOMS</NoiGui>\n    <PhienBan>1.0</PhienBan>"),
                        "/ThongBaoViPham/ThongTinChung/NoiGui", "PhienBan", null),
                new Mutation("empty subject list",
                        text -> text.replaceAll("(?s)<DanhSachDoiTuong>.*</DanhSachDoiTuong>",
                                "<DanhSachDoiTuong></DanhSachDoiTuong>"),
                        "/ThongBaoViPham/DanhSachDoiTuong", "DoiTuong", null));
    }
}
