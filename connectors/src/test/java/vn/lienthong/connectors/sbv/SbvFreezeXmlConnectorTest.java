package vn.lienthong.connectors.sbv;

import java.util.List;
import vn.lienthong.connectors.xml.XmlConnector;
import vn.lienthong.connectors.xml.XmlConnectorContract;

/** sbv-freeze-xml against the XML connector contract, with SBV-specific invalid documents. */
class SbvFreezeXmlConnectorTest extends XmlConnectorContract {

    private final SbvFreezeXmlConnector connector = new SbvFreezeXmlConnector();

    @Override
    protected XmlConnector connector() {
        return connector;
    }

    @Override
    protected List<String> canonicalTypes() {
        return List.of("freeze.request", "freeze.report");
    }

    @Override
    protected String sampleExample() {
        return "yeu-cau-phong-toa.xml";
    }

    @Override
    protected String foreignRoot() {
        return "ThongBaoViPham";
    }

    @Override
    protected List<Mutation> mutations() {
        return List.of(
                new Mutation("missing account number",
                        replaceOnce("<SoTaiKhoan>0011004123456</SoTaiKhoan>", ""),
                        "/YeuCauPhongToa/TaiKhoan/ChuTaiKhoan", "SoTaiKhoan", null),
                new Mutation("missing reason",
                        text -> text.replaceAll("(?s)\\s*<LyDo>.*</LyDo>", ""),
                        "/YeuCauPhongToa", "LyDo", null),
                new Mutation("amount written with dots",
                        replaceOnce("<SoTien>1250000000</SoTien>", "<SoTien>1.250.000.000</SoTien>"),
                        "/YeuCauPhongToa/SoTien", "'integer'", "1.250.000.000"),
                new Mutation("start without offset",
                        replaceOnce("<ThoiDiemBatDau>2026-11-19T16:00:00+07:00</ThoiDiemBatDau>",
                                "<ThoiDiemBatDau>19/11/2026 16:00</ThoiDiemBatDau>"),
                        "/YeuCauPhongToa/ThoiDiemBatDau", "ThoiDiem", null),
                new Mutation("unknown measure",
                        replaceOnce("<BienPhap>PhongToa</BienPhap>", "<BienPhap>Freeze</BienPhap>"),
                        "/YeuCauPhongToa/BienPhap", "enumeration", null),
                new Mutation("account number with separators, value withheld",
                        replaceOnce("<SoTaiKhoan>0011004123456</SoTaiKhoan>", "<SoTaiKhoan>0011-004-123456</SoTaiKhoan>"),
                        "/YeuCauPhongToa/TaiKhoan/SoTaiKhoan", "SoTaiKhoan", "0011-004-123456"),
                new Mutation("CCCD too short, value withheld",
                        replaceOnce("<SoDinhDanh>001085012345</SoDinhDanh>", "<SoDinhDanh>00108501234</SoDinhDanh>"),
                        "/YeuCauPhongToa/TaiKhoan/ChuTaiKhoan/SoDinhDanh", "SoDinhDanh", "00108501234"),
                new Mutation("bank BIN not of the 970 form",
                        replaceOnce("<MaNganHang>970436</MaNganHang>", "<MaNganHang>VCB</MaNganHang>"),
                        "/YeuCauPhongToa/NganHang/MaNganHang", "MaNganHang", null),
                new Mutation("unknown element",
                        replaceOnce("<MaVuViec>", "<GhiChuNoiBo>x</GhiChuNoiBo>\n  <MaVuViec>"),
                        "/YeuCauPhongToa/GhiChuNoiBo", "GhiChuNoiBo", null),
                new Mutation("decision without signer",
                        text -> text.replaceAll("(?s)<NguoiKy>.*</NguoiKy>\\s*", ""),
                        "/YeuCauPhongToa/QuyetDinh/CanCuPhapLy", "NguoiKy", null));
    }
}
